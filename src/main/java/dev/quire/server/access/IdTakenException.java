package dev.quire.server.access;

/** A client asked to create a document with an id another document has (HTTP 409 {@code CONFLICT}). */
public final class DocumentIdTakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DocumentIdTakenException(String docId) {
        super("the document id " + docId + " is taken; create the document with a new random id");
    }
}
