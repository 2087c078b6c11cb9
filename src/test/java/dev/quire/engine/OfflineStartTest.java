package dev.quire.engine;

import static dev.quire.engine.EngineFixture.awaitDrained;
import static dev.quire.engine.EngineFixture.awaitState;
import static dev.quire.engine.EngineFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.session.SessionEvent;
import dev.quire.sync.ConnectionState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 ("days offline lose nothing"): the app restarts with no network at all. The engine starts from the server
 * description it remembered, resumes the stored session offline, opens the document from the store, and queues what
 * is typed; when the server answers, it signs in again by itself (the stored refresh token) and sends it.
 */
class OfflineStartTest {
    @TempDir
    Path dir;

    @Test
    void theAppRestartsWithoutTheNetworkWorksOfflineAndCatchesUpWhenTheServerAnswers() throws Exception {
        try (EngineFixture fx = new EngineFixture(dir, Clock.systemUTC(), Duration.ofMinutes(15))) {
            String docId = fx.createDocument("alice", "offline start");
            String userId;
            try (ClientEngine first = fx.engine("laptop")) {
                Account alice = fx.signIn(first, "alice");
                userId = alice.userId();
                OpenDocument d = alice.open(docId);
                awaitState(d, ConnectionState.CONNECTED);
                synchronized (d.doc()) {
                    d.doc().getText("t").insert(0, "written yesterday. ");
                }
                awaitDrained(d);
            } // the app quits: the session is closed, not signed out

            fx.httpProxy.refuse(true); // next morning, no network at all
            fx.syncProxy.refuse(true);
            ClientEngine second = fx.engine("laptop");
            assertEquals(userId, second.lastUser().orElseThrow());
            Account alice = second.resume(userId).get(30, TimeUnit.SECONDS);
            AtomicInteger refreshed = new AtomicInteger();
            alice.addListener(e -> {
                if (e instanceof SessionEvent.TokenRefreshed) {
                    refreshed.incrementAndGet();
                }
            });
            OpenDocument d = alice.open(docId);
            assertEquals("written yesterday. ", text(d), "the document opens from the store");
            synchronized (d.doc()) {
                d.doc().getText("t").insert(d.doc().getText("t").length(), "Written on the train.");
            }
            assertEquals(1, d.status().queued());
            assertNotEquals(ConnectionState.CONNECTED, d.status().connection().state());
            assertTrue(alice.ended().isEmpty(), "still signed in");

            fx.httpProxy.refuse(false);
            fx.syncProxy.refuse(false);
            awaitDrained(d);
            assertEquals("written yesterday. Written on the train.", fx.serverText("alice", docId));
            assertTrue(refreshed.get() >= 1, "signed in again with the stored refresh token");
            assertEquals("alice", alice.userName(), "the server's name once a token came");
        }
    }
}
