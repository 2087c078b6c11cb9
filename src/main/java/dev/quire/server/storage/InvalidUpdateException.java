package dev.quire.server.storage;

import dev.quire.crdt.UpdateFormatException;

/**
 * An update was refused because the document core cannot read or apply it; nothing was stored and the document is
 * unchanged. This is the sender's fault, not the storage's: the server reports it to the client and carries on.
 */
public class InvalidUpdateException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String docId;
    private final int offset;

    public InvalidUpdateException(String docId, int byteLength, RuntimeException cause) {
        super("update of " + byteLength + " bytes for document " + docId + " refused, nothing stored: "
                + cause.getMessage(), cause);
        this.docId = docId;
        this.offset = cause instanceof UpdateFormatException e ? e.offset() : -1;
    }

    /** For refusals that are not format errors (see {@link ClientIdTakenException}). */
    protected InvalidUpdateException(String docId, String message) {
        super(message);
        this.docId = docId;
        this.offset = -1;
    }

    public String docId() {
        return docId;
    }

    /** The byte offset where the update is malformed, or -1 when it is not tied to one byte. */
    public int offset() {
        return offset;
    }
}
