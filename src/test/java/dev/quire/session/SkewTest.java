package dev.quire.session;

import static dev.quire.session.SessionFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server whose clock is 7 minutes ahead of the client's: the token's {@code iat} shows the skew, and expiry and the
 * refresh time are converted to the client's clock, so the refresh comes on time by the client's clock, not 7 minutes
 * late or early.
 */
class SkewTest {
    @TempDir
    Path dir;

    @Test
    void theSkewIsLearnedFromIatAndExpiryIsOnTheClientsClock() {
        Duration ahead = Duration.ofMinutes(7);
        try (SessionFixture f = new SessionFixture(dir, c -> c, ahead)) {
            Session s = f.login();
            AccessToken t = await(s.accessToken());

            assertEquals(ahead, t.skew());
            assertEquals(f.clock.instant().plus(Duration.ofMinutes(15)), t.expiresAt());
            Duration due = Duration.ofMinutes(15).minusSeconds(90);
            assertEquals(f.clock.instant().plus(due), f.scheduler.nextDue());

            SessionFixture.Events events = new SessionFixture.Events();
            s.addListener(events);
            f.serverClock.advance(due);
            f.scheduler.advance(due);
            AccessToken next = events.next(SessionEvent.TokenRefreshed.class).token();
            assertNotEquals(t.value(), next.value());
            assertEquals(f.clock.instant().plus(Duration.ofMinutes(15)), next.expiresAt());
            s.close();
        }
    }
}
