package dev.quire.store;

import java.time.Instant;
import java.util.List;

/**
 * One local update not yet acknowledged by the server: {@code seq} orders it among all entries of the profile,
 * {@code clocks} are the struct clocks it carries (empty for an update that only deletes), {@code userId} the user
 * who typed it and the only one whose token may send it. {@code update} is a Yjs v1 update; do not modify it.
 */
public record OutboxEntry(String docId, long seq, String userId, byte[] update, List<ClockRange> clocks,
                          Instant createdAt) {
    public OutboxEntry {
        clocks = List.copyOf(clocks);
    }

    @Override
    public String toString() {
        return "OutboxEntry[doc=" + docId + ", seq=" + seq + ", user=" + userId + ", " + update.length + " bytes, clocks="
                + clocks + "]";
    }
}
