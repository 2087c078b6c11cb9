package dev.quire.sync;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): the n-th retry
 * waits a uniformly random time between 0 and min(cap, base * 2^n), so clients cut off together do not come back
 * together.
 */
public record Backoff(Duration base, Duration cap) {
    /** 0.5 s doubling to 30 s, as issue 6 suggests. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    public Backoff {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= cap: " + base + ", " + cap);
        }
    }

    /** The ceiling of the {@code attempt}-th retry (0-based). */
    public Duration ceiling(int attempt) {
        long baseMillis = base.toMillis();
        int shift = Math.min(Math.max(attempt, 0), 30);
        long millis = baseMillis > (cap.toMillis() >> shift) ? cap.toMillis() : Math.min(cap.toMillis(),
                baseMillis << shift);
        return Duration.ofMillis(millis);
    }

    /** A delay for the {@code attempt}-th retry: uniform in [0, ceiling]. */
    public Duration delay(int attempt, RandomGenerator random) {
        return Duration.ofMillis(random.nextLong(ceiling(attempt).toMillis() + 1));
    }
}
