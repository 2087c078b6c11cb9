package dev.quire.server.sync;

import dev.quire.testing.SyncTestClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.protocol.Ack;
import dev.quire.protocol.AuthOk;
import dev.quire.protocol.AuthPermissionDenied;
import dev.quire.protocol.AwarenessEntry;
import dev.quire.protocol.AwarenessUpdate;
import dev.quire.protocol.ErrorMessage;
import dev.quire.protocol.ProtocolCodec;
import dev.quire.protocol.QueryAwareness;
import dev.quire.protocol.SyncStep2;
import dev.quire.protocol.SyncUpdate;
import dev.quire.server.access.Role;
import dev.quire.server.storage.HistoryEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void quireAndStockClientsSyncBothWaysAndALaterClientLoadsTheStoredState() throws Exception {
        try (SyncFixture f = new SyncFixture(dir)) {
            String doc = f.createDoc("alice");
            f.grant("bob", doc, Role.WRITER);
            f.grant("carol", doc, Role.READER);
            SyncTestClient alice = f.quire(doc, f.token("alice"));
            SyncTestClient bob = f.stock(doc, f.token("bob"));

            AuthOk ok = alice.next(AuthOk.class);
            assertEquals("alice", ok.userId());
            assertEquals(f.clock.instant().plusSeconds(3600).getEpochSecond(), ok.expiresAtEpochSeconds());
            alice.next(SyncStep2.class);
            bob.next(SyncStep2.class);

            alice.edit(d -> d.getText("t").insert(0, "hello"));
            bob.awaitText("hello");
            bob.edit(d -> d.getText("t").insert(5, " world"));
            alice.awaitText("hello world");
            alice.edit(d -> d.getText("t").delete(0, 1));
            bob.awaitText("ello world");

            // a stock client never receives Quire's message type
            for (byte[] frame : bob.frames()) {
                assertTrue(frame[0] != ProtocolCodec.MESSAGE_QUIRE, "stock client got a Quire frame");
            }
            alice.closeBlocking();
            bob.closeBlocking();

            SyncTestClient carol = f.quire(doc, f.token("carol"));
            carol.awaitText("ello world");
            Doc stored = new Doc();
            Updates.applyUpdate(stored, f.store.loadState(doc));
            assertEquals("ello world", stored.getText("t").toString());
            List<HistoryEntry> history = f.store.history(doc);
            assertTrue(history.stream().anyMatch(h -> h.userId().equals("alice")));
            assertTrue(history.stream().anyMatch(h -> h.userId().equals("bob")));
            assertTrue(history.stream().allMatch(h -> h.connectionId().startsWith("c-")));
            carol.closeBlocking();
        }
    }

    @Test
    void ackComesOnlyAfterTheUpdateIsDurableAndCarriesTheStoredClock() throws Exception {
        GatedStore[] gated = new GatedStore[1];
        try (SyncFixture f = new SyncFixture(dir, c -> c, real -> gated[0] = new GatedStore(real))) {
            GatedStore store = gated[0];
            String doc = f.createDoc("alice");
            f.grant("bob", doc, Role.WRITER);
            SyncTestClient alice = f.quire(doc, f.token("alice"));
            SyncTestClient bob = f.quire(doc, f.token("bob"));
            alice.next(SyncStep2.class);
            bob.next(SyncStep2.class);

            alice.edit(d -> d.getText("t").insert(0, "abc"));
            assertTrue(store.entered.tryAcquire(10, TimeUnit.SECONDS), "the update never reached the store");
            // not durable yet: no ack, and no other client sees it
            assertNull(alice.poll(Ack.class, 300));
            assertNull(bob.poll(SyncUpdate.class, 50));
            store.gate.release();

            Ack ack = alice.next(Ack.class);
            assertEquals(alice.doc.clientId(), ack.clientId());
            assertEquals(3, ack.clock());
            Doc stored = new Doc();
            Updates.applyUpdate(stored, f.store.loadState(doc));
            assertEquals(ack.clock(), stored.stateVector().get(ack.clientId()));
            bob.awaitText("abc");
            assertEquals(1, f.store.history(doc).size());
            assertEquals(1, f.registry.find("quire.ack.latency").timer().count());
        }
    }

    @Test
    void anOpenDocumentIsPinnedInTheStoreWhileItHasConnectionsAndReleasedWhenTheLastLeaves() throws Exception {
        GatedStore[] gated = new GatedStore[1];
        try (SyncFixture f = new SyncFixture(dir, c -> c, real -> gated[0] = new GatedStore(real))) {
            GatedStore store = gated[0];
            String doc = f.createDoc("alice");
            f.grant("bob", doc, Role.WRITER);
            SyncTestClient alice = f.quire(doc, f.token("alice"));
            alice.next(SyncStep2.class);
            SyncTestClient bob = f.quire(doc, f.token("bob"));
            bob.next(SyncStep2.class);
            assertEquals(1, store.pins.get(), "one pin per open document, not per connection");

            alice.close();
            bob.close();
            assertTrue(store.allReleased.await(10, TimeUnit.SECONDS), "still pinned: " + store.pins.get());
            assertEquals(0, store.pins.get());
        }
    }

    @Test
    void aReadersUpdateIsRefusedAndNotStoredWhileTheReaderStillReceives() throws Exception {
        try (SyncFixture f = new SyncFixture(dir)) {
            String doc = f.createDoc("alice");
            f.grant("rita", doc, Role.READER);
            SyncTestClient alice = f.quire(doc, f.token("alice"));
            SyncTestClient rita = f.quire(doc, f.token("rita"));
            SyncTestClient ritaStock = f.stock(doc, f.token("rita"));
            rita.next(SyncStep2.class);
            ritaStock.next(SyncStep2.class);

            alice.edit(d -> d.getText("t").insert(0, "A"));
            alice.next(Ack.class);
            rita.awaitText("A");
            ritaStock.awaitText("A");
            int stored = f.store.history(doc).size();

            rita.edit(d -> d.getText("t").insert(0, "r"));
            ErrorMessage error = rita.next(ErrorMessage.class);
            assertEquals("FORBIDDEN", error.code());
            ritaStock.edit(d -> d.getText("t").insert(0, "s"));
            assertTrue(ritaStock.next(AuthPermissionDenied.class).reason().startsWith("FORBIDDEN"));

            assertEquals(stored, f.store.history(doc).size());
            assertNull(alice.poll(SyncUpdate.class, 200));
            assertEquals("A", alice.text());
            assertTrue(rita.isOpen() && ritaStock.isOpen());
        }
    }

    @Test
    void awarenessCarriesTheServerKnownUserAndIsRemovedWhenItsConnectionCloses() throws Exception {
        try (SyncFixture f = new SyncFixture(dir)) {
            String doc = f.createDoc("alice");
            f.grant("bob", doc, Role.WRITER);
            SyncTestClient alice = f.quire(doc, f.token("alice"));
            SyncTestClient bob = f.stock(doc, f.token("bob"));
            alice.next(SyncStep2.class);
            bob.next(SyncStep2.class);

            long bobId = bob.doc.clientId();
            bob.sendMessage(AwarenessUpdate.of(new AwarenessEntry(bobId, 1,
                    "{\"user\":{\"id\":\"alice\",\"name\":\"Alice\",\"color\":\"#f00\"},\"cursor\":{\"anchor\":3}}")));
            AwarenessEntry seen = alice.next(AwarenessUpdate.class).entries().get(0);
            assertEquals(bobId, seen.clientId());
            JsonNode state = JSON.readTree(seen.stateJson());
            assertEquals("bob", state.at("/user/id").asText());
            assertEquals("Bob", state.at("/user/name").asText());
            assertEquals("#f00", state.at("/user/color").asText());
            assertEquals(3, state.at("/cursor/anchor").asInt());
            assertEquals("bob", JSON.readTree(bob.next(AwarenessUpdate.class).entries().get(0).stateJson())
                    .at("/user/id").asText(), "the sender sees the user it was given");

            // alice announces herself; bob cannot overwrite or remove her entry
            long aliceId = alice.doc.clientId();
            alice.sendMessage(AwarenessUpdate.of(new AwarenessEntry(aliceId, 1, "{}")));
            assertEquals(aliceId, bob.next(AwarenessUpdate.class).entries().get(0).clientId());
            alice.next(AwarenessUpdate.class); // her own echo
            bob.sendMessage(AwarenessUpdate.of(AwarenessEntry.removed(aliceId, 5)));
            assertNull(alice.poll(AwarenessUpdate.class, 200));

            alice.sendMessage(new QueryAwareness());
            AwarenessUpdate all = alice.next(AwarenessUpdate.class);
            assertEquals(2, all.entries().size());
            assertTrue(all.entries().stream().noneMatch(AwarenessEntry::isRemoval));

            bob.closeBlocking();
            AwarenessUpdate gone = alice.next(AwarenessUpdate.class);
            assertEquals(List.of(AwarenessEntry.removed(bobId, 1)), gone.entries());
        }
    }

    @Test
    void twoDocumentsNeverShareAByte() throws Exception {
        try (SyncFixture f = new SyncFixture(dir)) {
            String docA = f.createDoc("alice");
            String docB = f.createDoc("bob");
            f.grant("carol", docB, Role.READER);
            SyncTestClient alice = f.quire(docA, f.token("alice"));
            SyncTestClient bob = f.quire(docB, f.token("bob"));
            SyncTestClient carol = f.stock(docB, f.token("carol"));
            alice.next(SyncStep2.class);
            bob.next(SyncStep2.class);
            carol.next(SyncStep2.class);

            bob.edit(d -> d.getText("t").insert(0, "BOB-SECRET"));
            bob.sendMessage(AwarenessUpdate.of(new AwarenessEntry(bob.doc.clientId(), 1, "{\"mark\":\"BOB-PRESENCE\"}")));
            alice.edit(d -> d.getText("t").insert(0, "ALICE-SECRET"));
            alice.sendMessage(AwarenessUpdate.of(new AwarenessEntry(alice.doc.clientId(), 1, "{\"mark\":\"ALICE-PRESENCE\"}")));
            // by the time carol (doc B) has bob's edit and presence and each writer has its ack, any leak would be there
            carol.awaitText("BOB-SECRET");
            carol.next(AwarenessUpdate.class);
            alice.next(Ack.class);
            bob.next(Ack.class);
            alice.sendMessage(new QueryAwareness());
            assertEquals(1, alice.next(AwarenessUpdate.class).entries().size());

            assertNoBytes(alice, "BOB");
            assertNoBytes(bob, "ALICE");
            assertNoBytes(carol, "ALICE");
            assertEquals("ALICE-SECRET", alice.text());
            assertEquals("BOB-SECRET", bob.text());
        }
    }

    private static void assertNoBytes(SyncTestClient client, String marker) {
        for (byte[] frame : client.frames()) {
            assertFalse(new String(frame, StandardCharsets.ISO_8859_1).contains(marker), "leaked " + marker);
        }
    }

    @Test
    void devModeAdmitsEveryoneAsDevWithoutACredential() throws Exception {
        try (SyncFixture f = new SyncFixture(dir, c -> c.withDevMode(true))) {
            String doc = f.createDoc("dev");
            SyncTestClient client = new SyncTestClient(f.uri(doc), true, Map.of()).connectOrFail();
            AuthOk ok = client.next(AuthOk.class);
            assertEquals("dev", ok.userId());
            client.edit(d -> d.getText("t").insert(0, "x"));
            client.next(Ack.class);
            assertEquals("dev", f.store.history(doc).get(0).userId());
        }
    }

    @Test
    void metricsCountConnectionsTrafficAndAuthFailures() throws Exception {
        try (SyncFixture f = new SyncFixture(dir)) {
            String doc = f.createDoc("alice");
            SyncTestClient alice = f.quire(doc, f.token("alice"));
            alice.next(SyncStep2.class);
            alice.edit(d -> d.getText("t").insert(0, "x"));
            alice.next(Ack.class);
            assertEquals(1, f.registry.find("quire.connections").gauge().value());
            assertTrue(f.counter("quire.updates.in") >= 1);
            assertTrue(f.counter("quire.bytes.in") > 0);
            assertTrue(f.counter("quire.bytes.out") > 0);

            SyncTestClient nobody = new SyncTestClient(f.uri(doc), false, Map.of());
            nobody.autoSync = false;
            nobody.connectBlocking(10, TimeUnit.SECONDS);
            assertEquals(1008, nobody.awaitClose().code());
            assertEquals(1, f.counter("quire.auth.failures", "code", "AUTH_REQUIRED"));

            alice.closeBlocking();
            assertNotNull(alice.awaitClose());
        }
    }
}
