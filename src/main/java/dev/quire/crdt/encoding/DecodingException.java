package dev.quire.crdt.encoding;

/** Malformed or truncated binary input; says what was being read and at which byte offset. */
public class DecodingException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int offset;

    public DecodingException(String message, int offset) {
        super(message + " (at byte " + offset + ")");
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }
}
