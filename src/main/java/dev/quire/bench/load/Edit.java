package dev.quire.bench.load;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One edit a client made: its marker text, the sender's clock right after it (so a receiver knows it has the edit
 * once its state vector reaches that clock, with no need to look inside updates), when it was made, and how many
 * of the other clients on the document still lack it.
 */
final class Edit {
    final String marker;
    final int endClock;
    final long madeNanos;
    final boolean measured;
    private final AtomicInteger missingAt;
    private final AtomicLong lastArrivalNanos = new AtomicLong();

    Edit(String marker, int endClock, long madeNanos, boolean measured, int receivers) {
        this.marker = marker;
        this.endClock = endClock;
        this.madeNanos = madeNanos;
        this.measured = measured;
        this.missingAt = new AtomicInteger(receivers);
    }

    /** One more receiver has it; true when that was the last one. */
    boolean arrived(long nowNanos) {
        lastArrivalNanos.accumulateAndGet(nowNanos, Math::max);
        return missingAt.decrementAndGet() == 0;
    }

    boolean deliveredEverywhere() {
        return missingAt.get() <= 0;
    }

    /** Time from the edit to its arrival at the last of the other clients; only meaningful once delivered everywhere. */
    long latencyNanos() {
        return lastArrivalNanos.get() - madeNanos;
    }
}
