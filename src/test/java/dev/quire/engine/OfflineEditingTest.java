package dev.quire.engine;

import static dev.quire.engine.EngineFixture.awaitDrained;
import static dev.quire.engine.EngineFixture.awaitState;
import static dev.quire.engine.EngineFixture.awaitText;
import static dev.quire.engine.EngineFixture.text;
import static dev.quire.engine.EngineFixture.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.sync.ConnectionState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 6: what is typed offline waits in its user's outbox and reaches the server once the link is back. */
class OfflineEditingTest {
    @TempDir
    Path dir;
    private EngineFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new EngineFixture(dir, Clock.systemUTC(), Duration.ofMinutes(15));
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    @Test
    void aThousandEditsTypedOfflineInTwoDocumentsReachTheServerExactlyOnce() throws Exception {
        String doc1 = fx.createDocument("alice", "one");
        String doc2 = fx.createDocument("alice", "two");
        Account alice = fx.signIn(fx.engine("laptop"), "alice");
        OpenDocument d1 = alice.open(doc1);
        OpenDocument d2 = alice.open(doc2);
        awaitState(d1, ConnectionState.CONNECTED);
        awaitState(d2, ConnectionState.CONNECTED);

        fx.syncProxy.refuse(true); // the link drops, and stays down
        awaitState(d1, ConnectionState.RECONNECTING);
        awaitState(d2, ConnectionState.RECONNECTING);
        Random random = new Random(1);
        type(d1, 500, random, 'a');
        type(d2, 500, random, 'b');
        assertEquals(500, d1.status().queued(), "every offline edit waits in the outbox");
        assertEquals(500, d2.status().queued());
        assertEquals(500, alice.unsentCounts().get(doc1));
        assertEquals("", fx.serverText("alice", doc1), "nothing got through the dropped link");

        fx.syncProxy.refuse(false);
        awaitDrained(d1);
        awaitDrained(d2);
        assertEquals("a".repeat(500), fx.serverText("alice", doc1));
        assertEquals("b".repeat(500), fx.serverText("alice", doc2));

        Account elsewhere = fx.signIn(fx.engine("desktop"), "alice"); // a second client, its own store
        OpenDocument e1 = elsewhere.open(doc1);
        OpenDocument e2 = elsewhere.open(doc2);
        awaitText(e1, text(d1));
        awaitText(e2, text(d2));
        assertTrue(alice.unsentCounts().isEmpty());

        d1.close(); // reopened offline, the window still knows when it last synced (the store's sync metadata)
        fx.syncProxy.refuse(true);
        OpenDocument again = alice.open(doc1);
        assertTrue(again.status().lastSynced().isPresent(), again.status().toString());
        assertEquals("a".repeat(500), text(again), "the document opens from the store");
    }

    @Test
    void deleteOnlyEditsLeaveTheOutboxToo() throws Exception {
        String docId = fx.createDocument("alice", "deletes");
        Account alice = fx.signIn(fx.engine("laptop"), "alice");
        OpenDocument d = alice.open(docId);
        awaitState(d, ConnectionState.CONNECTED);
        synchronized (d.doc()) {
            d.doc().getText("t").insert(0, "hello world");
        }
        awaitDrained(d);
        synchronized (d.doc()) {
            d.doc().getText("t").delete(5, 6); // advances no clock: no ack can cover it
        }
        awaitDrained(d);
        assertEquals("hello", fx.serverText("alice", docId));

        fx.syncProxy.refuse(true);
        awaitState(d, ConnectionState.RECONNECTING);
        synchronized (d.doc()) {
            d.doc().getText("t").delete(0, 1);
        }
        assertEquals(1, d.status().queued());
        fx.syncProxy.refuse(false);
        awaitDrained(d); // replayed, then confirmed by the answer to the step 1 sent after it
        assertEquals("ello", fx.serverText("alice", docId));
    }

    @Test
    void anotherUserSigningInOnTheSameMachineNeverSendsOrSeesTheFirstUsersOutbox() throws Exception {
        String docId = fx.createDocument("alice", "shared");
        fx.share("alice", docId, "bob", "writer");
        ClientEngine machine = fx.engine("shared-machine");
        Account alice = fx.signIn(machine, "alice");
        OpenDocument a = alice.open(docId);
        awaitState(a, ConnectionState.CONNECTED);
        fx.syncProxy.refuse(true);
        awaitState(a, ConnectionState.RECONNECTING);
        synchronized (a.doc()) {
            a.doc().getText("t").insert(0, "alice's secret draft");
        }
        alice.signOut().get();
        awaitState(a, ConnectionState.AUTH_FAILED);
        a.close();
        fx.syncProxy.refuse(false);

        Account bob = fx.signIn(machine, "bob");
        assertNotEquals(alice.profile().directory(), bob.profile().directory(), "a store of bob's own");
        assertTrue(bob.unsentCounts().isEmpty());
        OpenDocument b = bob.open(docId);
        assertEquals("", text(b), "bob's copy holds nothing of alice's outbox");
        awaitState(b, ConnectionState.CONNECTED);
        synchronized (b.doc()) {
            b.doc().getText("t").insert(0, "bob");
        }
        awaitDrained(b);
        assertEquals("bob", fx.serverText("alice", docId), "alice's draft was not sent with bob's token");
        assertFalse(text(b).contains("secret"));
        b.close();
        bob.signOut().get();

        Account aliceAgain = fx.signIn(machine, "alice");
        assertEquals(1, aliceAgain.unsentCounts().get(docId), "her edit waited for her");
        OpenDocument a2 = aliceAgain.open(docId);
        awaitDrained(a2);
        String server = fx.serverText("alice", docId);
        assertTrue(server.contains("alice's secret draft") && server.contains("bob"), server);
    }

    @Test
    void anEditTheStoreCannotSaveStaysInMemorySaysSoAndIsStillSent() throws Exception {
        String docId = fx.createDocument("alice", "unsaveable");
        Account alice = fx.signIn(fx.engine("laptop"), "alice");
        OpenDocument d = alice.open(docId);
        awaitState(d, ConnectionState.CONNECTED);
        alice.store().close(); // the store fails from now on, as on a full disk (StoreFailureTest shows those errors)
        synchronized (d.doc()) {
            d.doc().getText("t").insert(0, "kept in memory");
        }
        assertTrue(d.status().saveError().isPresent(), "the window says it cannot save: " + d.status());
        assertFalse(d.status().inSync());
        assertEquals("kept in memory", text(d));
        EngineFixture.await("the edit to reach the server anyway", () -> {
            try {
                return fx.serverText("alice", docId).equals("kept in memory");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
