package dev.quire.protocol;

/**
 * A frame or message that is not valid: what was wrong and at which byte. The message never contains bytes of the
 * frame (a frame may carry a token); it names the part being read, sizes, numbers and offsets only.
 *
 * <p>Unchecked, like the document core's {@code UpdateFormatException}: the one place that reads frames from a
 * socket catches it and closes the connection, choosing the close code by {@link #kind()}.
 */
public class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of problem, so that a server can pick a close code without parsing messages. */
    public enum Kind {
        /** Larger than the allowed frame size (RFC 6455 §7.4.1 close code 1009, "message too big"). */
        TOO_LARGE,
        /** A message or sub-message type this side does not know. */
        UNKNOWN_TYPE,
        /** Truncated, bytes left over, a number out of range, invalid JSON, a malformed state vector. */
        MALFORMED,
        /** A sync message whose Yjs update could not be applied; the document is unchanged. */
        INVALID_UPDATE
    }

    private final Kind kind;
    private final int offset;

    /**
     * {@code what} must not contain frame contents; " (at byte N)" is appended when {@code offset >= 0} (" (at byte N
     * of the update)" for {@link Kind#INVALID_UPDATE}).
     */
    public ProtocolException(Kind kind, String what, int offset) {
        this(kind, what, offset, null);
    }

    ProtocolException(Kind kind, String what, int offset, Throwable cause) {
        super(offset < 0 ? what
                : what + " (at byte " + offset + (kind == Kind.INVALID_UPDATE ? " of the update)" : ")"), cause);
        this.kind = kind;
        this.offset = offset;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * Where the problem was found: a byte offset in the frame, or for {@link Kind#INVALID_UPDATE} in the update it
     * carries; -1 when it is not tied to one byte.
     */
    public int offset() {
        return offset;
    }
}
