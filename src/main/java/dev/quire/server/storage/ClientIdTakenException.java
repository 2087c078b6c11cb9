package dev.quire.server.storage;

/**
 * An update was refused because it carries new content under a Yjs client id that another user already wrote with in
 * this document (issue 5: "A Yjs client id is bound to the first user who writes with it"). Nothing was stored.
 *
 * <p>Without this rule a user could write text that history and {@link DocumentStore#writerOf} attribute to someone
 * else, or make another user's own later edits clash with items that already have their ids. An honest client only
 * meets it when two users share one Yjs document in memory (one browser tab, two logins): it should start over with
 * a fresh document, and so a fresh client id.
 *
 * <p>A subclass of {@link InvalidUpdateException}, so a caller that only knows that kind still refuses the update; a
 * server that tells them apart answers this one as {@code FORBIDDEN}. The message names the client id and the
 * document, not the user the id belongs to.
 */
public final class ClientIdTakenException extends InvalidUpdateException {
    private static final long serialVersionUID = 1L;
    private final long clientId;

    public ClientIdTakenException(String docId, long clientId) {
        super(docId, "update for document " + docId + " refused, nothing stored: Yjs client id " + clientId
                + " is already bound to another user in this document; reload the document to get a new client id");
        this.clientId = clientId;
    }

    public long clientId() {
        return clientId;
    }
}
