package dev.quire.crdt;

/**
 * A unique position in the document's history: the {@code clock}-th unit of content created by {@code client}
 * (Yjs utils/ID.js). Clocks count content units (UTF-16 code units for text), not operations.
 */
public record ID(long client, int clock) {
    @Override
    public String toString() {
        return client + ":" + clock;
    }

    static boolean equal(ID a, ID b) {
        return a == b || (a != null && b != null && a.client == b.client && a.clock == b.clock);
    }
}
