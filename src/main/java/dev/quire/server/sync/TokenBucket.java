package dev.quire.server.sync;

import java.time.Clock;

/**
 * A per-connection flood limit: {@code burst} tokens, refilled continuously at {@code perSecond}; each message takes
 * one. Time comes from the injected clock, so a test decides when the bucket refills.
 */
final class TokenBucket {
    private final Clock clock;
    private final double perMilli;
    private final double capacity;
    private double tokens;
    private long lastMillis;

    TokenBucket(SyncServerConfig.RateLimit limit, Clock clock) {
        this.clock = clock;
        this.perMilli = limit.perSecond() / 1000.0;
        this.capacity = limit.burst();
        this.tokens = capacity;
        this.lastMillis = clock.millis();
    }

    /** Takes one token; false when the connection is over its limit. */
    synchronized boolean tryTake() {
        long now = clock.millis();
        if (now > lastMillis) { // a clock set back refills nothing rather than draining the bucket
            tokens = Math.min(capacity, tokens + (now - lastMillis) * perMilli);
            lastMillis = now;
        }
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
