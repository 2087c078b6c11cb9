package dev.quire.crdt;

/**
 * An update, state vector or message that is not valid Yjs v1: what was wrong and at which byte. When applying an
 * update throws this, the document is unchanged.
 */
public class UpdateFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int offset;

    public UpdateFormatException(String message, int offset) {
        this(message, offset, null);
    }

    public UpdateFormatException(String message, int offset, Throwable cause) {
        super(message, cause);
        this.offset = offset;
    }

    /** The byte offset where the problem was found, or -1 when it is not tied to one byte. */
    public int offset() {
        return offset;
    }
}
