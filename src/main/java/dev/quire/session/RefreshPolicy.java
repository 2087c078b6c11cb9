package dev.quire.session;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/** When to refresh and how long to wait after a failure: pure arithmetic, tested without threads. */
final class RefreshPolicy {
    /** Refresh at least this long before expiry... */
    static final Duration MIN_MARGIN = Duration.ofSeconds(30);
    /** ...or this share of the lifetime, whichever is longer (issue 6 "Proactive refresh"). */
    static final int MARGIN_PERCENT = 10;
    /** First retry after a transient failure waits up to this long; each further one doubles it... */
    static final Duration BACKOFF_BASE = Duration.ofSeconds(1);
    /** ...up to this. */
    static final Duration BACKOFF_CAP = Duration.ofSeconds(60);

    private RefreshPolicy() {
    }

    /**
     * How long before expiry to refresh: max(30 s, 10 % of the lifetime), but never more than half the lifetime. The
     * cap matters for short tokens: with 2-second tokens (the soak test) a 30-second margin would mean "refresh at
     * once, forever"; half the lifetime still leaves a whole half of it for retries.
     */
    static Duration margin(Duration lifetime) {
        Duration margin = lifetime.multipliedBy(MARGIN_PERCENT).dividedBy(100);
        if (margin.compareTo(MIN_MARGIN) < 0) {
            margin = MIN_MARGIN;
        }
        Duration half = lifetime.dividedBy(2);
        return margin.compareTo(half) > 0 ? half : margin;
    }

    /** When {@code token} should be replaced, on the client's clock. */
    static Instant refreshAt(AccessToken token) {
        return token.expiresAt().minus(margin(token.lifetime()));
    }

    /**
     * The wait before retry number {@code failures} (1 for the first): "full jitter" (AWS Architecture Blog,
     * "Exponential Backoff And Jitter"), uniformly random in [0, min(cap, base × 2^(failures-1))], so that many
     * clients failing together do not retry together.
     */
    static Duration backoff(int failures, RandomGenerator random) {
        int exponent = Math.min(Math.max(failures, 1) - 1, 20);
        long ceilingMs = Math.min(BACKOFF_CAP.toMillis(), BACKOFF_BASE.toMillis() << exponent);
        return Duration.ofMillis(random.nextLong(ceilingMs + 1));
    }
}
