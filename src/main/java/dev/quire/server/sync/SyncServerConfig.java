package dev.quire.server.sync;

import dev.quire.protocol.ProtocolCodec;
import java.time.Duration;
import java.util.Objects;

/**
 * How the sync server behaves. {@link #defaults()} is what {@code ./quire server} runs with; tests shorten the
 * timers.
 *
 * @param devMode           every connection is user {@code dev}, no credential asked (issue 5 "Dev mode"); the caller
 *                          makes sure the server then binds to loopback only
 * @param warnBefore        how long before a connection's token expires it gets a {@code TOKEN_EXPIRING} error
 *                          message (Quire clients only), so it can renew in band
 * @param expiredGrace      how long after its token's {@code exp} a connection stays open (issue 5
 *                          {@code --expired-grace}); zero (the default) closes at {@code exp}
 * @param maxFrameBytes     the largest message accepted; larger ones close the connection with 1009
 * @param rate              the per-connection flood limit
 * @param heartbeatInterval a connection silent for this long is pinged
 * @param idleTimeout       a connection silent (no frame, no pong) for this long is taken for dead and dropped
 * @param sweepInterval     how often expiry, heartbeat and awareness timeouts are checked: the precision of all three
 * @param workerThreads     threads that run the documents' work (storage commits, broadcasts); each document uses one
 *                          at a time, so this bounds how many documents commit at once
 */
public record SyncServerConfig(boolean devMode, Duration warnBefore, Duration expiredGrace, int maxFrameBytes,
                               RateLimit rate, Duration heartbeatInterval, Duration idleTimeout,
                               Duration sweepInterval, int workerThreads) {

    /**
     * A token bucket: {@code burst} messages at once, refilled at {@code perSecond}. The defaults (100/s, burst 200)
     * are far above a person typing (a Yjs client sends at most one update per keystroke and an awareness update per
     * cursor move) and far below what would let one connection starve a document's other connections.
     */
    public record RateLimit(double perSecond, int burst) {
        public RateLimit {
            if (!(perSecond > 0) || burst < 1) {
                throw new IllegalArgumentException("rate limit needs perSecond > 0 and burst >= 1");
            }
        }
    }

    public SyncServerConfig {
        Objects.requireNonNull(warnBefore, "warnBefore");
        Objects.requireNonNull(expiredGrace, "expiredGrace");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(sweepInterval, "sweepInterval");
        if (warnBefore.isNegative() || expiredGrace.isNegative()) {
            throw new IllegalArgumentException("warnBefore and expiredGrace must not be negative");
        }
        if (maxFrameBytes < 1 || maxFrameBytes > ProtocolCodec.MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes must be in 1.." + ProtocolCodec.MAX_FRAME_BYTES);
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero() || idleTimeout.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("need 0 < heartbeatInterval < idleTimeout");
        }
        if (sweepInterval.isNegative() || sweepInterval.isZero() || workerThreads < 1) {
            throw new IllegalArgumentException("sweepInterval must be positive and workerThreads at least 1");
        }
    }

    /**
     * Production settings: warn 60 s before expiry (a client renews at about 80% of a 15-minute token, well before),
     * no grace, the protocol's frame limit, 100 msg/s burst 200, ping after 30 s of silence (as y-websocket's server
     * does), drop after 75 s (two missed pongs), checks every second, 8 document threads.
     */
    public static SyncServerConfig defaults() {
        return new SyncServerConfig(false, Duration.ofSeconds(60), Duration.ZERO, ProtocolCodec.MAX_FRAME_BYTES,
                new RateLimit(100, 200), Duration.ofSeconds(30), Duration.ofSeconds(75), Duration.ofSeconds(1), 8);
    }

    public SyncServerConfig withDevMode(boolean dev) {
        return new SyncServerConfig(dev, warnBefore, expiredGrace, maxFrameBytes, rate, heartbeatInterval,
                idleTimeout, sweepInterval, workerThreads);
    }

    public SyncServerConfig withExpiry(Duration warn, Duration grace) {
        return new SyncServerConfig(devMode, warn, grace, maxFrameBytes, rate, heartbeatInterval, idleTimeout,
                sweepInterval, workerThreads);
    }

    public SyncServerConfig withMaxFrameBytes(int max) {
        return new SyncServerConfig(devMode, warnBefore, expiredGrace, max, rate, heartbeatInterval, idleTimeout,
                sweepInterval, workerThreads);
    }

    public SyncServerConfig withRate(RateLimit limit) {
        return new SyncServerConfig(devMode, warnBefore, expiredGrace, maxFrameBytes, limit, heartbeatInterval,
                idleTimeout, sweepInterval, workerThreads);
    }

    public SyncServerConfig withHeartbeat(Duration interval, Duration idle) {
        return new SyncServerConfig(devMode, warnBefore, expiredGrace, maxFrameBytes, rate, interval, idle,
                sweepInterval, workerThreads);
    }

    public SyncServerConfig withSweepInterval(Duration interval) {
        return new SyncServerConfig(devMode, warnBefore, expiredGrace, maxFrameBytes, rate, heartbeatInterval,
                idleTimeout, interval, workerThreads);
    }
}
