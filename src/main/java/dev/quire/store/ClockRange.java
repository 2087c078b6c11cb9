package dev.quire.store;

/**
 * The clocks {@code [start, end)} of one Yjs client id that an update carries: the ids of the structs it adds. An
 * outbox entry is acknowledged once the server's state vector reaches {@code end} for every range of it.
 */
public record ClockRange(long clientId, int start, int end) {
    public ClockRange {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("empty or negative clock range [" + start + ", " + end + ")");
        }
    }
}
