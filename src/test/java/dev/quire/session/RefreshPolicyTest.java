package dev.quire.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The refresh margin and the backoff, as arithmetic. */
class RefreshPolicyTest {

    @Test
    void theMarginIsTenPercentOfTheLifetimeButAtLeastThirtySeconds() {
        assertEquals(Duration.ofSeconds(90), RefreshPolicy.margin(Duration.ofMinutes(15)));
        assertEquals(Duration.ofMinutes(6), RefreshPolicy.margin(Duration.ofHours(1)));
        assertEquals(Duration.ofSeconds(30), RefreshPolicy.margin(Duration.ofMinutes(5)));
    }

    @Test
    void shortLivedTokensAreRefreshedHalfWayInsteadOfAtOnce() {
        assertEquals(Duration.ofSeconds(1), RefreshPolicy.margin(Duration.ofSeconds(2)));
        assertEquals(Duration.ofSeconds(30), RefreshPolicy.margin(Duration.ofSeconds(60)));
        AccessToken twoSeconds = new AccessToken("x", "u", "u", Instant.parse("2030-01-01T00:00:02Z"),
                Duration.ofSeconds(2), Duration.ZERO);
        assertEquals(Instant.parse("2030-01-01T00:00:01Z"), RefreshPolicy.refreshAt(twoSeconds));
    }

    @Test
    void backoffIsFullJitterUnderADoublingCeilingCappedAtSixtySeconds() {
        SplittableRandom random = new SplittableRandom(7);
        for (int failures = 1; failures <= 40; failures++) {
            long ceiling = Math.min(60_000, 1000L << Math.min(failures - 1, 20));
            long max = 0;
            long min = Long.MAX_VALUE;
            for (int i = 0; i < 2000; i++) {
                long ms = RefreshPolicy.backoff(failures, random).toMillis();
                assertTrue(ms >= 0 && ms <= ceiling, failures + ": " + ms + " > " + ceiling);
                max = Math.max(max, ms);
                min = Math.min(min, ms);
            }
            // spread over the whole range, not clustered near the ceiling ("full", not "equal" jitter)
            assertTrue(max > ceiling * 9 / 10, "max " + max + " of " + ceiling);
            assertTrue(min < ceiling / 10, "min " + min + " of " + ceiling);
        }
    }
}
