package dev.quire.engine;

import static dev.quire.engine.EngineFixture.awaitDrained;
import static dev.quire.engine.EngineFixture.awaitState;
import static dev.quire.engine.EngineFixture.awaitStatus;
import static dev.quire.engine.EngineFixture.text;
import static dev.quire.engine.EngineFixture.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.quire.session.RefreshTokenVault;
import dev.quire.session.SessionEvent;
import dev.quire.sync.ConnectionState;
import dev.quire.testing.LogCapture;
import dev.quire.testing.TestClock;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 6: the session's tokens and end, as every connection of it sees them, against the real server. */
class SessionAcrossConnectionsTest {
    @TempDir
    Path dir;

    /** Records what a test must check about every connection: expiry closes, and every token it saw. */
    private static final class Watch {
        final AtomicInteger expiryCloses = new AtomicInteger();
        final AtomicInteger refreshes = new AtomicInteger();
        final AtomicInteger refreshFailures = new AtomicInteger();
        final List<SessionEvent.SessionEnded> ended = new CopyOnWriteArrayList<>();
        final AtomicLong endedAt = new AtomicLong();
        final Set<String> tokens = ConcurrentHashMap.newKeySet();

        void account(Account a) {
            a.addListener(e -> {
                if (e instanceof SessionEvent.TokenRefreshed t) {
                    refreshes.incrementAndGet();
                    tokens.add(t.token().value());
                } else if (e instanceof SessionEvent.RefreshFailed) {
                    refreshFailures.incrementAndGet();
                } else if (e instanceof SessionEvent.SessionEnded s) {
                    endedAt.compareAndSet(0, System.nanoTime());
                    ended.add(s);
                }
            });
        }

        void document(OpenDocument d) {
            d.addListener(new java.util.function.Consumer<>() {
                int lastCode;
                String lastError;

                @Override
                public synchronized void accept(DocumentStatus s) {
                    var c = s.connection();
                    String error = c.lastError().orElse(null);
                    if (c.lastCloseCode() != lastCode || !java.util.Objects.equals(error, lastError)) {
                        if ("TOKEN_EXPIRED".equals(error)) {
                            expiryCloses.incrementAndGet();
                        }
                        lastCode = c.lastCloseCode();
                        lastError = error;
                    }
                }
            });
        }
    }

    @Test
    void whenTheTokenExpiresDuringAnOutageTheReconnectRefreshesFirst() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
        try (EngineFixture fx = new EngineFixture(dir, clock, Duration.ofMinutes(15))) {
            String docId = fx.createDocument("alice", "outage");
            Account alice = fx.signIn(fx.engine("laptop"), "alice");
            Watch watch = new Watch();
            watch.account(alice);
            OpenDocument d = alice.open(docId);
            watch.document(d);
            awaitState(d, ConnectionState.CONNECTED);

            fx.httpProxy.refuse(true); // the whole network goes: no sync, no token endpoint
            fx.syncProxy.refuse(true);
            awaitState(d, ConnectionState.RECONNECTING);
            type(d, 20, new Random(2), 'x');
            clock.advance(Duration.ofMinutes(20)); // the laptop slept through the token's expiry
            // An attempt that took its token just before the clock moved may still be on its way: the network only
            // comes back once an attempt has asked for a token since (and found it had to refresh), so what the
            // test checks is the reconnect's order, not a race between the test thread and a backoff timer.
            EngineFixture.await("an attempt to refresh after the expiry", () -> watch.refreshFailures.get() >= 1);
            fx.httpProxy.refuse(false);
            fx.syncProxy.refuse(false);

            awaitDrained(d);
            assertEquals("x".repeat(20), fx.serverText("alice", docId));
            assertEquals(0, watch.expiryCloses.get(), "no connection was refused for an expired token");
            assertEquals(1, watch.refreshes.get(), "one refresh, before the reconnect");
            assertTrue(alice.ended().isEmpty());
        }
    }

    @Test
    void aRefreshTheServerRejectsEndsTheSessionInEveryWindowWithinASecondAndKeepsTheOutbox() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(new String(EngineFixture.ALICE_PASSWORD)));
        Watch watch = new Watch();
        List<String> logs = new ArrayList<>();
        try (LogCapture captured = LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.TRACE);
             EngineFixture fx = new EngineFixture(dir, Clock.systemUTC(), Duration.ofSeconds(2))) {
            String docId = fx.createDocument("alice", "revoked");
            ClientEngine machine = fx.engine("laptop");
            Account alice = fx.signIn(machine, "alice");
            watch.account(alice);
            secrets.add(alice.accessToken().get());
            List<OpenDocument> windows = List.of(alice.open(docId), alice.open(docId), alice.open(docId));
            Map<OpenDocument, AtomicLong> failedAt = new ConcurrentHashMap<>();
            for (OpenDocument w : windows) {
                watch.document(w);
                AtomicLong at = new AtomicLong();
                failedAt.put(w, at);
                w.addListener(s -> {
                    if (s.connection().state() == ConnectionState.AUTH_FAILED) {
                        at.compareAndSet(0, System.nanoTime());
                    }
                });
                awaitState(w, ConnectionState.CONNECTED);
            }
            synchronized (windows.get(0).doc()) {
                windows.get(0).doc().getText("t").insert(0, "before ");
            }
            awaitDrained(windows.get(0));
            EngineFixture.await("a proactive refresh, renewed in-band", () -> watch.refreshes.get() >= 1);

            // the refresh token in the profile is revoked on the server (an admin, or a logout elsewhere)
            String refresh = RefreshTokenVault.inProfile(alice.profile().directory()).load().orElseThrow();
            secrets.add(refresh);
            HttpResponse<String> r = fx.http.send(HttpRequest.newBuilder(fx.server.httpUrl().resolve("/auth/revoke"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("token=" + refresh)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());

            EngineFixture.await("the session to end", () -> !watch.ended.isEmpty());
            assertEquals(SessionEvent.Reason.REJECTED, watch.ended.get(0).reason());
            for (OpenDocument w : windows) {
                awaitState(w, ConnectionState.AUTH_FAILED);
                long ms = Duration.ofNanos(failedAt.get(w).get() - watch.endedAt.get()).toMillis();
                assertTrue(ms <= 1000, "a window heard of the session's end " + ms + " ms after it");
            }

            OpenDocument w = windows.get(1);
            synchronized (w.doc()) {
                w.doc().getText("t").insert(w.doc().getText("t").length(), "after");
            }
            assertEquals(1, w.status().queued(), "the edit waits in the outbox");
            assertEquals("before ", fx.serverText("alice", docId), "nothing was sent after the session ended");
            assertEquals(ConnectionState.AUTH_FAILED, w.status().connection().state());
            windows.forEach(OpenDocument::close);
            alice.close();

            Account again = fx.signIn(machine, "alice"); // the same user signs in again: the outbox goes out
            secrets.add(again.accessToken().get());
            assertEquals(1, again.unsentCounts().get(docId));
            OpenDocument reopened = again.open(docId);
            awaitDrained(reopened);
            assertEquals("before after", fx.serverText("alice", docId));
            assertEquals("before after", text(reopened));
            secrets.add(RefreshTokenVault.inProfile(again.profile().directory()).load().orElseThrow());
            reopened.close();
            again.signOut().get();
            for (var e : captured.events()) {
                logs.add(LogCapture.render(e));
            }
        }
        secrets.addAll(watch.tokens);
        assertTrue(watch.tokens.size() >= 1, "tokens were refreshed during the run");
        assertFalse(logs.isEmpty());
        for (String log : logs) {
            for (String secret : secrets) {
                assertFalse(log.contains(secret), "a secret in the log: " + log.replace(secret, "<SECRET>"));
            }
        }
    }

    @Test
    void aTokenEndpointThatIsUnreachableForAWhileKeepsTheUserSignedInAndLosesNothing() throws Exception {
        try (EngineFixture fx = new EngineFixture(dir, Clock.systemUTC(), Duration.ofSeconds(2))) {
            String docId = fx.createDocument("alice", "flaky");
            Account alice = fx.signIn(fx.engine("laptop"), "alice");
            Watch watch = new Watch();
            watch.account(alice);
            OpenDocument d = alice.open(docId);
            watch.document(d);
            awaitState(d, ConnectionState.CONNECTED);

            fx.httpProxy.refuse(true); // refreshes fail; the 2 s token runs out and the server closes the socket
            Random random = new Random(3);
            type(d, 10, random, 'y');
            EngineFixture.await("refreshes to fail and back off", () -> watch.refreshFailures.get() >= 2);
            // the watch hears every close (a status poll could miss one that lasts a millisecond), so its zero in the
            // other tests means none
            EngineFixture.await("the server to close the unrenewed socket", () -> watch.expiryCloses.get() >= 1);
            int failedSoFar = watch.refreshFailures.get();
            EngineFixture.await("three more attempts", () -> watch.refreshFailures.get() >= failedSoFar + 3);
            assertTrue(d.status().connection().state() != ConnectionState.CONNECTED,
                    "no reconnect with the token the server refused, though the client's clock found it fresh");
            type(d, 10, random, 'y');
            fx.httpProxy.refuse(false);

            awaitDrained(d);
            assertEquals("y".repeat(20), fx.serverText("alice", docId));
            assertTrue(alice.ended().isEmpty(), "still signed in");
            assertTrue(watch.ended.isEmpty());
            awaitState(d, ConnectionState.CONNECTED);
        }
    }

    @Test
    void aConnectionRefusedBecauseTheUserIsGoneEndsTheSessionInEveryWindow() throws Exception {
        try (EngineFixture fx = new EngineFixture(dir, Clock.systemUTC(), Duration.ofMinutes(15))) {
            String first = fx.createDocument("alice", "first");
            String second = fx.createDocument("alice", "second");
            Account alice = fx.signIn(fx.engine("laptop"), "alice");
            Watch watch = new Watch();
            watch.account(alice);
            OpenDocument a = alice.open(first);
            awaitState(a, ConnectionState.CONNECTED);

            assertTrue(fx.server.users().delete(alice.userId())); // an administrator removes her
            OpenDocument b = alice.open(second); // this connect is refused: 1008 USER_NOT_FOUND
            awaitState(b, ConnectionState.AUTH_FAILED);
            EngineFixture.await("the session to end", () -> !watch.ended.isEmpty());
            assertEquals(SessionEvent.Reason.REJECTED, watch.ended.get(0).reason());
            assertEquals("USER_NOT_FOUND", watch.ended.get(0).error());
            awaitState(a, ConnectionState.AUTH_FAILED); // the window whose connection was still up closes too
            assertTrue(RefreshTokenVault.inProfile(alice.profile().directory()).load().isEmpty(), "token forgotten");
        }
    }
}
