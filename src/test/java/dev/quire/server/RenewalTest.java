package dev.quire.server;

import dev.quire.testing.SyncTestClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.protocol.Ack;
import dev.quire.protocol.AuthOk;
import dev.quire.protocol.ErrorMessage;
import dev.quire.protocol.Renew;
import dev.quire.server.auth.JwtVerifier;
import dev.quire.server.auth.User;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-band renewal on a real server with 2-second access tokens and the fake clock (swept every 20 ms of real time):
 * a Quire client that answers each {@code TOKEN_EXPIRING} warning with {@code renew} (a fresh token from the refresh
 * grant over HTTP) stays connected across three token lifetimes, with every edit acknowledged; a connection that
 * does not renew is closed 1008 {@code TOKEN_EXPIRED} once its token's {@code exp} has passed.
 */
class RenewalTest {
    private static final Duration TTL = Duration.ofSeconds(2);
    /**
     * Each step reaches the warning ({@code warnBefore} = 1 s before the deadline) and no further, as a client
     * renewing on the warning would; JWT times are whole seconds, so a fresh token's exp is the second of issue + 2.
     */
    private static final Duration STEP = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    @Test
    void aRenewingClientOutlivesThreeTokenLifetimesAndAnUnrenewedOneIsClosedAtExpiry() throws Exception {
        try (ServerFixture f = new ServerFixture(dir, c -> c.withTokenLifetimes(TTL, Duration.ofDays(1))
                .withExpiry(Duration.ofSeconds(1), Duration.ZERO))) {
            User alice = f.addUser("alice", "alice-password-1");
            ServerFixture.Tokens login = f.login("alice", "alice-password-1");
            String doc = f.createDoc(login.access(), "renewed");

            SyncTestClient renewing = f.connectWithBearer(doc, login.access(), true);
            AuthOk first = renewing.next(AuthOk.class);
            assertEquals(alice.id(), first.userId());
            assertEquals(ServerFixture.START.plus(TTL).getEpochSecond(), first.expiresAtEpochSeconds());
            SyncTestClient unrenewed = f.connectWithBearer(doc, login.access(), true);
            unrenewed.next(AuthOk.class);

            String refresh = login.refresh();
            StringBuilder typed = new StringBuilder();
            Instant end = ServerFixture.START.plus(TTL.multipliedBy(3));
            int renewals = 0;
            while (f.clock.instant().isBefore(end)) {
                f.clock.advance(STEP);
                ErrorMessage warning = renewing.next(ErrorMessage.class);
                assertEquals("TOKEN_EXPIRING", warning.code());

                ServerFixture.Tokens fresh = f.refresh(refresh);
                refresh = fresh.refresh();
                renewing.sendMessage(new Renew(fresh.access()));
                AuthOk renewed = renewing.next(AuthOk.class);
                assertEquals(alice.id(), renewed.userId());
                assertTrue(renewed.expiresAtEpochSeconds() > f.clock.instant().getEpochSecond(),
                        "renewed past the current time");
                renewals++;

                String word = "r" + renewals;
                renewing.type(word);
                typed.append(word);
                awaitAck(renewing, typed.length());
                assertFalse(renewing.isClosedYet(), "the renewing client was closed at " + f.clock.instant());
            }
            assertEquals(6, renewals);

            // the unrenewed connection went at its token's exp (START + 2 s), while the other one lived on
            SyncTestClient.Closed closed = unrenewed.awaitClose();
            assertEquals(1008, closed.code());
            assertEquals("TOKEN_EXPIRED", closed.reason());
            assertTrue(renewing.isOpen());
            assertEquals(1.0, f.server.metrics().counter("quire.closes", "reason", "TOKEN_EXPIRED").count(),
                    "expiry closes: the unrenewed connection only");
            Counter renewalCount = f.server.metrics().find("quire.renewals").counter();
            assertEquals(6.0, renewalCount.count());

            // and it kept syncing: everything it typed is stored, a new connection gets all of it
            SyncTestClient reader = f.connectWithBearer(doc, f.refresh(refresh).access(), true);
            reader.awaitText(typed.toString());
            renewing.closeBlocking();
            reader.closeBlocking();
        }
    }

    @Test
    void anExpiredTokenWithinTheGraceIsAcceptedOnceUntilExpPlusGraceNotTwice() throws Exception {
        Duration grace = Duration.ofMinutes(2); // longer than the verifier's 60 s leeway, which it then replaces
        try (ServerFixture f = new ServerFixture(dir, c -> c.withTokenLifetimes(TTL, Duration.ofDays(1))
                .withExpiry(Duration.ofSeconds(1), grace))) {
            f.addUser("alice", "alice-password-1");
            ServerFixture.Tokens login = f.login("alice", "alice-password-1");
            String doc = f.createDoc(login.access(), "graced");
            Instant exp = ServerFixture.START.plus(TTL);
            // the verifier accepts a token until exp + the longer of its leeway (60 s) and the grace
            Instant last = exp.plus(grace);
            assertTrue(grace.compareTo(JwtVerifier.MAX_LEEWAY) > 0);

            SyncTestClient live = f.connectWithBearer(doc, login.access(), true);
            live.next(AuthOk.class);
            f.clock.advance(TTL.plusMillis(500)); // past exp: a live connection goes at exp
            assertEquals("TOKEN_EXPIRED", live.awaitClose().reason());

            // the same, now expired, token within the grace: accepted, and it lives until then, not a grace longer
            f.clock.set(last.minusSeconds(5));
            SyncTestClient late = f.connectWithBearer(doc, login.access(), true);
            AuthOk ok = late.next(AuthOk.class);
            assertEquals(last.getEpochSecond(), ok.expiresAtEpochSeconds());
            f.clock.set(last.minusMillis(500));
            late.type("still accepted");
            late.next(Ack.class);
            assertFalse(late.isClosedYet());
            f.clock.set(last.plusMillis(500)); // not last + grace
            assertEquals("TOKEN_EXPIRED", late.awaitClose().reason());

            // beyond the grace the token is refused outright
            SyncTestClient tooLate = f.connectWithBearer(doc, login.access(), true);
            assertEquals("TOKEN_EXPIRED", tooLate.awaitClose().reason());
        }
    }

    /** Waits for an ack of the client's own id that covers {@code clock}: the edit is durably stored. */
    private static void awaitAck(SyncTestClient c, long clock) throws InterruptedException {
        long own = c.doc.clientId();
        while (true) {
            Ack ack = c.next(Ack.class);
            if (ack.clientId() == own && ack.clock() >= clock) {
                return;
            }
        }
    }
}
