package dev.quire.server.storage;

/**
 * The clocks {@code [start, end)} of one Yjs client id: the ids of the items (one clock per character or value) that
 * client wrote.
 */
public record ClockRange(long clientId, int start, int end) {
    public ClockRange {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("empty or negative clock range [" + start + ", " + end + ")");
        }
    }

    public boolean contains(long client, int clock) {
        return client == clientId && start <= clock && clock < end;
    }

    public int length() {
        return end - start;
    }
}
