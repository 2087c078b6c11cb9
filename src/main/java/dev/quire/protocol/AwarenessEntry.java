package dev.quire.protocol;

/**
 * One client's presence in an {@link AwarenessUpdate}: its Yjs client id, the awareness clock that orders its
 * states, and the state as JSON text, or {@code null} when the client has gone (y-protocols writes the JSON text
 * {@code null} for that, and a state that parses to {@code null} is taken to mean the same).
 *
 * <p>The JSON text is kept as it arrived, so a server can relay it unchanged; it must be one valid JSON value as
 * JavaScript's {@code JSON.parse} reads it, or a JavaScript peer would fail on it (see {@link JsonText}).
 *
 * @throws IllegalArgumentException if an id or clock is outside 0..2^53-1 or the state is not valid JSON; the message
 *     never quotes the state
 */
public record AwarenessEntry(long clientId, long clock, String stateJson) {
    public AwarenessEntry {
        requireSafeUint("client id", clientId);
        requireSafeUint("clock", clock);
        if (stateJson != null && JsonText.requireValue(stateJson)) {
            stateJson = null;
        }
    }

    /** The entry that says {@code clientId} has gone. */
    public static AwarenessEntry removed(long clientId, long clock) {
        return new AwarenessEntry(clientId, clock, null);
    }

    public boolean isRemoval() {
        return stateJson == null;
    }

    /** lib0 writes these as varUints, which JavaScript peers read back as numbers: 0..2^53-1. */
    static void requireSafeUint(String what, long value) {
        if (value < 0 || value > ProtocolCodec.MAX_SAFE_INTEGER) {
            throw new IllegalArgumentException(what + " must be in 0..2^53-1: " + value);
        }
    }
}
