package dev.quire.server.access;

/**
 * A client asked to create a document or workspace with an id that another one has (HTTP 409 {@code CONFLICT}). Ids
 * chosen by clients are random UUIDs, so this means a client reused one; the answer tells a stranger no more than
 * the id they sent.
 */
public final class IdTakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private IdTakenException(String what, String id) {
        super("the " + what + " id " + id + " is taken; create the " + what + " with a new random id");
    }

    static IdTakenException document(String docId) {
        return new IdTakenException("document", docId);
    }

    static IdTakenException workspace(String workspaceId) {
        return new IdTakenException("workspace", workspaceId);
    }
}
