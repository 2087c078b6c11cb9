package dev.quire.server.storage;

/** The document does not exist (it never did, or it was deleted). */
public class NoSuchDocumentException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String docId;

    public NoSuchDocumentException(String docId) {
        super("no document with id " + docId);
        this.docId = docId;
    }

    public String docId() {
        return docId;
    }
}
