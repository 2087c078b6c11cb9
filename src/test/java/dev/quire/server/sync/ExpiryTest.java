package dev.quire.server.sync;

import dev.quire.testing.SyncTestClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.protocol.Ack;
import dev.quire.protocol.AuthOk;
import dev.quire.protocol.ErrorMessage;
import dev.quire.protocol.QueryAwareness;
import dev.quire.protocol.AwarenessUpdate;
import dev.quire.protocol.Renew;
import dev.quire.protocol.SyncStep2;
import dev.quire.server.access.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expiry on live connections, in-band renewal and heartbeats, with the test clock: no test waits for real time. */
class ExpiryTest {
    private static final Duration TTL = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private SyncFixture fixture() {
        return new SyncFixture(dir, c -> c.withExpiry(Duration.ofMillis(500), Duration.ZERO));
    }

    @Test
    void renewalKeepsAConnectionAliveAcrossThreeTokenLifetimes() throws Exception {
        try (SyncFixture f = fixture()) {
            String doc = f.createDoc("alice");
            SyncTestClient alice = f.quire(doc, f.tokens.issue("alice", "Alice", TTL));
            long expiry = alice.next(AuthOk.class).expiresAtEpochSeconds();
            Instant firstExpiry = Instant.ofEpochSecond(expiry);
            for (int lifetime = 0; lifetime < 3; lifetime++) {
                // Into the warning window, 300 ms before exp (JWT times are whole seconds, so go by the real exp).
                f.clock.advance(Duration.between(f.clock.instant(), Instant.ofEpochSecond(expiry).minusMillis(300)));
                assertEquals("TOKEN_EXPIRING", alice.next(ErrorMessage.class).code());
                alice.sendMessage(new Renew(f.tokens.issue("alice", "Alice", TTL)));
                long renewed = alice.next(AuthOk.class).expiresAtEpochSeconds();
                assertTrue(renewed > expiry, "expiry moved on");
                expiry = renewed;
            }
            // Well past the first token's lifetime: still open and still acknowledged
            assertTrue(f.clock.instant().isAfter(firstExpiry.plusSeconds(1)), "past the first token's exp");
            assertFalse(alice.closed.isDone());
            alice.edit(d -> d.getText("t").insert(0, "still here"));
            alice.next(Ack.class);
            assertEquals(3, f.counter("quire.renewals"));
            assertEquals(0, f.counter("quire.auth.failures", "code", "TOKEN_EXPIRED"));
        }
    }

    @Test
    void anUnrenewedConnectionIsClosedAtExpiry() throws Exception {
        try (SyncFixture f = fixture()) {
            String doc = f.createDoc("alice");
            f.grant("bob", doc, Role.WRITER);
            SyncTestClient alice = f.quire(doc, f.tokens.issue("alice", "Alice", TTL));
            SyncTestClient bob = f.stock(doc, f.tokens.issue("bob", "Bob", TTL));
            alice.next(SyncStep2.class);
            bob.next(SyncStep2.class);

            f.clock.advance(Duration.ofMillis(1600));
            assertEquals("TOKEN_EXPIRING", alice.next(ErrorMessage.class).code());
            assertFalse(alice.closed.isDone());
            f.clock.advance(Duration.ofMillis(400)); // exactly exp
            for (SyncTestClient client : new SyncTestClient[] {alice, bob}) {
                SyncTestClient.Closed closed = client.awaitClose();
                assertEquals(1008, closed.code());
                assertEquals("TOKEN_EXPIRED", closed.reason());
            }
        }
    }

    @Test
    void expiredGraceKeepsAConnectionOpenForTheGraceOnly() throws Exception {
        try (SyncFixture f = new SyncFixture(dir, c -> c.withExpiry(Duration.ofMillis(500), Duration.ofSeconds(5)))) {
            String doc = f.createDoc("alice");
            SyncTestClient alice = f.quire(doc, f.tokens.issue("alice", "Alice", TTL));
            alice.next(SyncStep2.class);
            f.clock.advance(Duration.ofSeconds(3)); // past exp, inside the grace
            alice.sendMessage(new QueryAwareness());
            alice.next(AwarenessUpdate.class);
            assertFalse(alice.closed.isDone());
            f.clock.advance(Duration.ofSeconds(4));
            assertEquals("TOKEN_EXPIRED", alice.awaitClose().reason());
        }
    }

    @Test
    void renewingWithAnotherUsersTokenCloses() throws Exception {
        try (SyncFixture f = fixture()) {
            String doc = f.createDoc("alice");
            SyncTestClient alice = f.quire(doc, f.tokens.issue("alice", "Alice", TTL));
            alice.next(AuthOk.class);
            alice.sendMessage(new Renew(f.tokens.issue("bob", "Bob", TTL)));
            SyncTestClient.Closed closed = alice.awaitClose();
            assertEquals(1008, closed.code());
            assertEquals("FORBIDDEN", closed.reason());
        }
    }

    @Test
    void renewingWithAnInvalidTokenClosesWithItsCode() throws Exception {
        try (SyncFixture f = fixture()) {
            String doc = f.createDoc("alice");
            SyncTestClient alice = f.quire(doc, f.tokens.issue("alice", "Alice", TTL));
            alice.next(AuthOk.class);
            alice.sendMessage(new Renew("tok_forged"));
            assertEquals("TOKEN_INVALID", alice.next(ErrorMessage.class).code());
            assertEquals("TOKEN_INVALID", alice.awaitClose().reason());
        }
    }

    @Test
    void aConnectionThatStopsAnsweringPingsIsDroppedAndALiveOneIsNot() throws Exception {
        try (SyncFixture f = new SyncFixture(dir,
                c -> c.withHeartbeat(Duration.ofSeconds(10), Duration.ofSeconds(20)))) {
            String doc = f.createDoc("alice");
            f.grant("bob", doc, Role.WRITER);
            SyncTestClient live = f.quire(doc, f.token("alice"));
            SyncTestClient dead = f.quire(doc, f.token("bob"));
            live.next(SyncStep2.class);
            dead.next(SyncStep2.class);
            dead.answerPings = false;
            for (SyncTestClient client : new SyncTestClient[] {live, dead}) {
                // an answer means the server has read everything the client sent before (its sync step 2)
                client.sendMessage(new QueryAwareness());
                client.next(AwarenessUpdate.class);
            }

            f.clock.advance(Duration.ofSeconds(11));
            assertTrue(live.pings.tryAcquire(10, TimeUnit.SECONDS));
            assertTrue(dead.pings.tryAcquire(10, TimeUnit.SECONDS));
            // the reply to a frame sent after the pong shows the server has read the pong
            live.sendMessage(new QueryAwareness());
            live.next(AwarenessUpdate.class);

            f.clock.advance(Duration.ofSeconds(11));
            assertEquals(1006, dead.awaitClose().code());
            // The live one answered its ping, so it is not dropped: a round trip after the drop shows it still served.
            live.sendMessage(new QueryAwareness());
            live.next(AwarenessUpdate.class);
            assertTrue(live.isOpen());
        }
    }
}
