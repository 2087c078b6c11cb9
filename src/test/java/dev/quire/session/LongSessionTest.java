package dev.quire.session;

import static dev.quire.session.SessionFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STYLE.md's example: a long session with 30-second tokens, on the test clock, against the real server: twenty
 * minutes (each refresh is a real HTTP round trip and an H2 commit at the server, about 50 ms on this machine, so two
 * hours would cost the suite half a minute). A caller asks for a token every second; none is ever handed out expired or about to expire, and the refreshes are exactly
 * the timer's, one every 15 s (half the lifetime: the 30 s minimum margin is capped at half of it).
 */
class LongSessionTest {
    @TempDir
    Path dir;

    @Test
    void aLongSessionWithThirtySecondTokensNeverHandsOutAStaleToken() {
        Duration ttl = Duration.ofSeconds(30);
        try (SessionFixture f = new SessionFixture(dir, c -> c.withTokenLifetimes(ttl, Duration.ofDays(1)))) {
            Session s = f.login();
            Set<String> seen = new HashSet<>();
            Duration shortestLeft = ttl;
            int seconds = 20 * 60;
            for (int second = 0; second < seconds; second++) {
                f.scheduler.advance(Duration.ofSeconds(1));
                AccessToken t = await(s.accessToken()); // waits for a refresh the timer just started
                Instant now = f.clock.instant();
                Duration left = Duration.between(now, t.expiresAt());
                assertTrue(left.compareTo(Duration.ofSeconds(15)) > 0, "at " + now + " only " + left + " left");
                shortestLeft = left.compareTo(shortestLeft) < 0 ? left : shortestLeft;
                seen.add(t.value());
            }
            assertEquals(seconds / 15, f.proxy.refreshRequests.get());
            assertEquals(seconds / 15 + 1, seen.size());
            assertEquals(Duration.ofSeconds(16), shortestLeft);
            assertEquals(0, f.proxy.refused.get());
            s.close();
        }
    }
}
