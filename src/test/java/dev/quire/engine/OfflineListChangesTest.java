package dev.quire.engine;

import static dev.quire.engine.EngineFixture.awaitDrained;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.net.DocumentsApi;
import dev.quire.sync.ConnectionState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7: "Offline, the list shows what is cached locally and queues changes." Documents created, renamed and
 * deleted without the server are in the list at once, a new one can be written in, and all of it reaches the server,
 * in order, once it is back; what the server refuses is said, not retried forever.
 */
class OfflineListChangesTest {
    @TempDir
    Path dir;

    private static List<String> titles(Account.Listing l) {
        return l.documents().stream().map(DocumentsApi.DocumentInfo::title).sorted().toList();
    }

    @Test
    void listChangesMadeOfflineShowAtOnceAndReachTheServerWhenItIsBack() throws Exception {
        try (EngineFixture fx = new EngineFixture(dir, Clock.systemUTC(), Duration.ofMinutes(15))) {
            String keep = fx.createDocument("alice", "keep");
            String drop = fx.createDocument("alice", "drop");
            Account alice = fx.signIn(fx.engine("desk"), "alice");
            assertEquals(List.of("drop", "keep"), titles(alice.listing(null).get(30, TimeUnit.SECONDS)));

            fx.httpProxy.refuse(true);
            fx.syncProxy.refuse(true);
            DocumentsApi.DocumentInfo made = alice.newDocument("written offline", null);
            OpenDocument d = alice.open(made.id());
            EngineFixture.type(d, 20, new Random(3), 'o');
            alice.renameDocument(keep, "kept, renamed");
            alice.deleteDocument(drop);

            Account.Listing offline = alice.listing(null).get(30, TimeUnit.SECONDS);
            assertTrue(offline.cached());
            assertEquals(3, offline.queuedChanges());
            assertEquals(List.of("kept, renamed", "written offline"), titles(offline));
            assertEquals(20, d.status().queued(), "the new document's edits wait in the outbox");
            assertFalse(d.status().connection().state() == ConnectionState.CONNECTED);

            fx.httpProxy.refuse(false);
            fx.syncProxy.refuse(false);
            Account.Listing online = alice.listing(null).get(30, TimeUnit.SECONDS);
            assertFalse(online.cached());
            assertEquals(0, online.queuedChanges());
            assertEquals(List.of("kept, renamed", "written offline"), titles(online), "the server's own list");
            assertTrue(online.documents().stream().anyMatch(x -> x.id().equals(made.id())),
                    "the server took the id it was made with here");
            awaitDrained(d); // its window connected once the server had it, and sent what was typed
            assertEquals("o".repeat(20), fx.serverText("alice", made.id()));
            assertTrue(alice.refusedListChanges().isEmpty());
        }
    }

    /**
     * A workspace created offline is switched to and written in at once: a document created in it, a rename of it
     * and of another; the server gets them in order once it is back, under the ids they were made with.
     */
    @Test
    void workspacesMadeAndRenamedOfflineHoldNewDocumentsAndReachTheServer() throws Exception {
        try (EngineFixture fx = new EngineFixture(dir, Clock.systemUTC(), Duration.ofMinutes(15))) {
            Account alice = fx.signIn(fx.engine("desk"), "alice");
            Account.Listing first = alice.listing(null).get(30, TimeUnit.SECONDS);
            String home = first.workspace();

            fx.httpProxy.refuse(true);
            fx.syncProxy.refuse(true);
            DocumentsApi.WorkspaceInfo trip = alice.newWorkspace("Trip");
            DocumentsApi.DocumentInfo plan = alice.newDocument("plan", trip.id());
            alice.renameWorkspace(trip.id(), "Trip to Lisbon");
            alice.renameWorkspace(home, "Home");

            Account.Listing offline = alice.listing(trip.id()).get(30, TimeUnit.SECONDS);
            assertTrue(offline.cached());
            assertEquals(trip.id(), offline.workspace(), "switched to the workspace made here");
            assertEquals(List.of("plan"), titles(offline));
            assertEquals(List.of("Home", "Trip to Lisbon"), offline.workspaces().stream()
                    .map(DocumentsApi.WorkspaceInfo::name).sorted().toList());
            assertEquals(4, offline.queuedChanges());

            fx.httpProxy.refuse(false);
            fx.syncProxy.refuse(false);
            Account.Listing online = alice.listing(trip.id()).get(30, TimeUnit.SECONDS);
            assertFalse(online.cached());
            assertEquals(0, online.queuedChanges());
            assertEquals(trip.id(), online.workspace(), "the server took the workspace's id");
            assertEquals(List.of(plan.id()), online.documents().stream().map(DocumentsApi.DocumentInfo::id).toList());
            assertEquals(List.of("Home", "Trip to Lisbon"), online.workspaces().stream()
                    .map(DocumentsApi.WorkspaceInfo::name).sorted().toList(), "the server's own names");
            assertTrue(alice.refusedListChanges().isEmpty());
        }
    }

    @Test
    void aChangeTheServerRefusesLeavesTheQueueAndIsSaid() throws Exception {
        try (EngineFixture fx = new EngineFixture(dir, Clock.systemUTC(), Duration.ofMinutes(15))) {
            String docId = fx.createDocument("alice", "alice's");
            fx.share("alice", docId, "bob", "reader");
            Account bob = fx.signIn(fx.engine("bobs"), "bob");
            bob.renameDocument(docId, "bob's now");
            bob.sendListChanges().get(30, TimeUnit.SECONDS);
            List<String> refused = bob.refusedListChanges();
            assertEquals(1, refused.size(), refused.toString());
            assertTrue(refused.get(0).contains("did not rename"), refused.get(0));
            Account.Listing listing = bob.listing(null).get(30, TimeUnit.SECONDS);
            assertEquals(0, listing.queuedChanges());
            assertFalse(titles(listing).contains("bob's now"), "nothing of it is laid over the list");
        }
    }
}
