package dev.quire.server.access;

import java.util.Locale;

/**
 * A user may not do what they asked. {@link Kind#NOT_FOUND} when they have no role for the document (or workspace)
 * or it does not exist: the message is the same in both cases, so a stranger cannot learn that it exists (issue 5:
 * 404, not 403). {@link Kind#FORBIDDEN} when they can see it but their role is too low (a reader renaming).
 */
public final class AccessDeniedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** No such document or workspace, as far as this user may know: answer 404. */
        NOT_FOUND,
        /** The user sees it, but may not do this: answer 403 ({@code FORBIDDEN}). */
        FORBIDDEN
    }

    private final Kind kind;

    private AccessDeniedException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    static AccessDeniedException noDocument(String docId) {
        return new AccessDeniedException(Kind.NOT_FOUND, "no document " + docId);
    }

    static AccessDeniedException noWorkspace(String workspaceId) {
        return new AccessDeniedException(Kind.NOT_FOUND, "no workspace " + workspaceId);
    }

    static AccessDeniedException forbidden(String userId, String docId, Role role, String action, Role needed) {
        String want = needed == Role.OWNER ? "the owner role" : "the " + name(needed) + " role or more";
        return new AccessDeniedException(Kind.FORBIDDEN, "user " + userId + " has the " + name(role)
                + " role for document " + docId + ", but " + action + " needs " + want
                + "; ask the document's owner");
    }

    private static String name(Role r) {
        return r.name().toLowerCase(Locale.ROOT);
    }

    public Kind kind() {
        return kind;
    }
}
