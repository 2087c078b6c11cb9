package dev.quire.server.storage;

import dev.quire.testing.TestClock;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The H2 store against real database files: content, history, attribution, compaction, refusals. */
class H2DocumentStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:15:30.123456789Z");

    @TempDir
    Path dir;
    private final TestClock clock = new TestClock(Instant.parse("2026-11-23T09:00:00Z"));
    private H2DocumentStore store;

    @BeforeEach
    void open() {
        store = H2DocumentStore.open(dir, H2DocumentStore.Options.defaults().withClock(clock));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void reopen() {
        store.close();
        open();
    }

    private String newDoc() {
        return store.createDocument("ws-1", "alice", "Notes").id();
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void aSingleWritersUpdatesLoadAsItsOwnDocumentByteForByte() {
        String id = newDoc();
        Editor alice = new Editor(11);
        store.appendUpdate(id, alice.edit(t -> t.insert(0, "Hello world")), "alice", "c1", at(1));
        store.appendUpdate(id, alice.edit(t -> t.format(0, 5, Map.of("bold", true))), "alice", "c1", at(2));
        store.appendUpdate(id, alice.edit(t -> t.delete(5, 6)), "alice", "c1", at(3));
        store.appendUpdate(id, alice.edit(t -> t.insert(5, ", Quire")), "alice", "c1", at(4));

        byte[] expected = Updates.encodeStateAsUpdate(alice.doc);
        assertArrayEquals(expected, store.loadState(id));
        reopen();
        assertArrayEquals(expected, store.loadState(id), "rebuilt from the database after a restart");
    }

    @Test
    void concurrentWritersLoadAsAReplicaThatReceivedTheSameUpdates() {
        String id = newDoc();
        Editor alice = new Editor(11);
        Editor bob = new Editor(22);
        Doc replica = new Doc(99);
        List<byte[]> order = new ArrayList<>();
        order.add(alice.edit(t -> t.insert(0, "abc")));
        order.add(bob.edit(t -> t.insert(0, "xyz"))); // concurrent with alice's
        bob.receive(order.get(0));
        order.add(bob.edit(t -> t.delete(1, 3)));
        alice.receive(order.get(1));
        alice.receive(order.get(2));
        order.add(alice.edit(t -> t.insert(alice.text.length(), "!")));
        bob.receive(order.get(3));
        for (byte[] u : order) {
            store.appendUpdate(id, u, "someone", "c", at(0));
            Updates.applyUpdate(replica, u);
        }

        assertArrayEquals(Updates.encodeStateAsUpdate(replica), store.loadState(id));
        Doc loaded = load(id);
        assertEquals(alice.text.toString(), loaded.getText("content").toString());
        assertEquals(bob.doc.getText("content").toString(), loaded.getText("content").toString());
    }

    @Test
    void documentsAreCreatedListedRenamedAndDeleted() {
        DocumentInfo notes = store.createDocument("ws-1", "alice", "Notes");
        clock.advance(Duration.ofMinutes(1));
        DocumentInfo plan = store.createDocument("ws-1", "bob", "Plan");
        store.createDocument("ws-2", "carol", "Elsewhere");

        assertEquals(new DocumentInfo(notes.id(), "ws-1", "alice", "Notes", clock.start(), clock.start()), notes);
        assertEquals(List.of(notes, plan), store.documents("ws-1"));
        clock.advance(Duration.ofMinutes(1));
        DocumentInfo renamed = store.renameDocument(notes.id(), "Meeting notes");
        assertEquals("Meeting notes", renamed.title());
        assertEquals(notes.createdAt(), renamed.createdAt());
        assertEquals(clock.instant(), renamed.updatedAt());
        store.appendUpdate(notes.id(), new Editor(1).edit(t -> t.insert(0, "x")), "alice", "c1", at(7));
        assertEquals(at(7), store.document(notes.id()).orElseThrow().updatedAt(), "a stored update touches it too");

        assertTrue(store.deleteDocument(notes.id()));
        assertFalse(store.deleteDocument(notes.id()));
        assertEquals(Optional.empty(), store.document(notes.id()));
        assertEquals(List.of(plan), store.documents("ws-1"));
        assertThrows(NoSuchDocumentException.class, () -> store.loadState(notes.id()));
        assertThrows(NoSuchDocumentException.class, () -> store.history(notes.id()));
        assertThrows(NoSuchDocumentException.class, () -> store.renameDocument(notes.id(), "x"));
        NoSuchDocumentException e = assertThrows(NoSuchDocumentException.class,
                () -> store.appendUpdate(notes.id(), new byte[] {0, 0}, "alice", "c1", at(8)));
        assertEquals(notes.id(), e.docId());
    }

    @Test
    void historySaysWhoSentEachUpdateWhenOnWhichConnectionAndWhatItAdded() {
        String id = newDoc();
        Editor alice = new Editor(11);
        Editor bob = new Editor(22);
        byte[] a1 = alice.edit(t -> t.insert(0, "Hello"));
        byte[] a2 = alice.edit(t -> t.insert(5, " world"));
        bob.receive(a1);
        bob.receive(a2);
        byte[] b1 = bob.edit(t -> t.insert(11, "!"));
        byte[] b2 = bob.edit(t -> t.delete(0, 1)); // deletes only: adds no clocks

        Appended r1 = store.appendUpdate(id, a1, "alice", "conn-a", at(1));
        Appended r2 = store.appendUpdate(id, a2, "alice", "conn-a", at(2));
        Appended r3 = store.appendUpdate(id, b1, "bob", "conn-b", at(3));
        Appended r4 = store.appendUpdate(id, b2, "bob", "conn-b", at(4));

        assertEquals(List.of(1L, 2L, 3L, 4L), List.of(r1.seq(), r2.seq(), r3.seq(), r4.seq()));
        assertEquals(5, r1.clockOf(11));
        assertEquals(11, r2.clockOf(11));
        assertEquals(1, r4.clockOf(22));
        assertEquals(List.of(
                new HistoryEntry(1, "alice", "conn-a", at(1), a1.length, List.of(new ClockRange(11, 0, 5)), false),
                new HistoryEntry(2, "alice", "conn-a", at(2), a2.length, List.of(new ClockRange(11, 5, 11)), false),
                new HistoryEntry(3, "bob", "conn-b", at(3), b1.length, List.of(new ClockRange(22, 0, 1)), false),
                new HistoryEntry(4, "bob", "conn-b", at(4), b2.length, List.of(), false)),
                store.history(id));
        assertEquals(List.of(2L, 3L), store.history(id, 1, 2).stream().map(HistoryEntry::seq).toList());

        assertEquals("alice", store.writerOf(id, 11, 0).orElseThrow().userId());
        assertEquals(1, store.writerOf(id, 11, 4).orElseThrow().seq());
        assertEquals(2, store.writerOf(id, 11, 5).orElseThrow().seq());
        assertEquals(2, store.writerOf(id, 11, 10).orElseThrow().seq());
        assertEquals("bob", store.writerOf(id, 22, 0).orElseThrow().userId());
        assertEquals(Optional.empty(), store.writerOf(id, 11, 11), "beyond the last clock");
        assertEquals(Optional.empty(), store.writerOf(id, 33, 0), "an unknown client");
        reopen();
        assertEquals(4, store.history(id).size());
        assertEquals("bob", store.writerOf(id, 22, 0).orElseThrow().userId());
    }

    @Test
    void compactionKeepsTheDocumentAndItsAttributionAndEmptiesTheLog() {
        String id = newDoc();
        Editor alice = new Editor(11);
        Editor bob = new Editor(22);
        Random random = new Random(7);
        for (int i = 0; i < 60; i++) {
            Editor e = i % 3 == 0 ? bob : alice;
            byte[] u = e.edit(t -> {
                int len = t.length();
                if (len > 10 && random.nextInt(4) == 0) {
                    t.delete(random.nextInt(len - 5), 5);
                } else {
                    t.insert(random.nextInt(len + 1), "word" + random.nextInt(100) + " ");
                }
            });
            (e == bob ? alice : bob).receive(u);
            store.appendUpdate(id, u, e == bob ? "bob" : "alice", "conn", at(i));
        }
        byte[] before = store.loadState(id);
        List<HistoryEntry> historyBefore = store.history(id);
        LogStats statsBefore = store.logStats(id);
        assertEquals(new LogStats(60, 0, 0, 60, historyBefore.stream().mapToLong(HistoryEntry::byteLength).sum()),
                statsBefore);

        Compaction c = store.compact(id);

        assertEquals(60, c.foldedUpdates());
        assertEquals(statsBefore.logBytes(), c.logBytesBefore());
        assertTrue(c.snapshotBytes() < c.logBytesBefore(), c + ": the snapshot is smaller than the log it replaces");
        assertEquals(new LogStats(60, 60, c.snapshotBytes(), 0, 0), store.logStats(id));
        assertArrayEquals(before, store.loadState(id));
        assertEquals(historyBefore.stream().map(h -> withInSnapshot(h, true)).toList(), store.history(id));
        assertEquals("bob", store.writerOf(id, 22, 0).orElseThrow().userId());
        assertEquals(new Compaction(0, 0, c.snapshotBytes()), store.compact(id), "nothing left to fold");

        reopen();
        assertArrayEquals(before, store.loadState(id), "rebuilt from the snapshot alone");
        byte[] more = alice.edit(t -> t.insert(0, "after "));
        assertEquals(61, store.appendUpdate(id, more, "alice", "conn", at(99)).seq());
        assertEquals(new LogStats(61, 60, c.snapshotBytes(), 1, more.length), store.logStats(id));
        assertEquals(alice.text.toString(), load(id).getText("content").toString());
        reopen();
        assertEquals(alice.text.toString(), load(id).getText("content").toString(), "snapshot + log after a restart");
        assertEquals(1, store.compact(id).foldedUpdates());
    }

    @Test
    void aCorruptUpdateIsRefusedAndNothingChanges() {
        String id = newDoc();
        Editor alice = new Editor(11);
        store.appendUpdate(id, alice.edit(t -> t.insert(0, "keep me")), "alice", "c1", at(1));
        byte[] good = alice.edit(t -> t.insert(7, " and me"));
        byte[] state = store.loadState(id);
        List<HistoryEntry> history = store.history(id);
        LogStats stats = store.logStats(id);

        List<byte[]> corrupt = new ArrayList<>();
        corrupt.add(new byte[0]);
        corrupt.add(Arrays.copyOf(good, good.length - 3)); // truncated
        corrupt.add(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f});
        byte[] lying = good.clone();
        lying[1] = 120; // claims 120 structs
        corrupt.add(lying);
        for (byte[] bad : corrupt) {
            InvalidUpdateException e = assertThrows(InvalidUpdateException.class,
                    () -> store.appendUpdate(id, bad, "mallory", "c9", at(2)), () -> Arrays.toString(bad));
            assertEquals(id, e.docId());
            assertTrue(e.getMessage().contains(id) && e.getMessage().contains("nothing stored"), e.getMessage());
            assertArrayEquals(state, store.loadState(id));
            assertEquals(history, store.history(id));
            assertEquals(stats, store.logStats(id));
        }
        reopen();
        assertArrayEquals(state, store.loadState(id), "nothing of them reached the database");
        assertEquals(2, store.appendUpdate(id, good, "alice", "c1", at(3)).seq(), "the next update gets the next seq");
        assertEquals("keep me and me", load(id).getText("content").toString());
    }

    @Test
    void aResentUpdateIsAcknowledgedAgainWithoutBeingStoredTwice() {
        String id = newDoc();
        Editor alice = new Editor(11);
        byte[] u = alice.edit(t -> t.insert(0, "once"));
        byte[] d = alice.edit(t -> t.delete(0, 1));
        assertEquals(1, store.appendUpdate(id, u, "alice", "c1", at(1)).seq());
        assertEquals(2, store.appendUpdate(id, d, "alice", "c1", at(2)).seq());

        Appended again = store.appendUpdate(id, u, "alice", "c2", at(3)); // replayed from the outbox on reconnect
        Appended deleteAgain = store.appendUpdate(id, d, "alice", "c2", at(3));

        assertFalse(again.stored());
        assertFalse(deleteAgain.stored());
        assertEquals(4, again.clockOf(11), "the ack still says what is durable");
        assertEquals(2, store.history(id).size());
    }

    @Test
    void anUpdateThatArrivesBeforeItsPredecessorIsKeptAndCountsOnceComplete() {
        String id = newDoc();
        Editor alice = new Editor(11);
        byte[] first = alice.edit(t -> t.insert(0, "ab"));
        byte[] second = alice.edit(t -> t.insert(2, "cd"));

        Appended early = store.appendUpdate(id, second, "alice", "c1", at(1));
        assertTrue(early.stored());
        assertEquals(0, early.clockOf(11), "not part of the document yet: the ack must not cover it");
        Doc loaded = load(id);
        assertTrue(loaded.hasPending(), "but it is in the loaded state, waiting");

        reopen(); // the waiting update survives a restart too
        Appended complete = store.appendUpdate(id, first, "alice", "c1", at(2));
        assertEquals(4, complete.clockOf(11));
        assertEquals("abcd", load(id).getText("content").toString());
        assertEquals(List.of(), store.history(id).get(0).added());
        // documented limitation: clocks that waited are attributed to the update that completed them
        assertEquals(List.of(new ClockRange(11, 0, 4)), store.history(id).get(1).added());
    }

    @Test
    void powerLossDurabilityStoresAndReloadsTheSame() {
        store.close();
        store = H2DocumentStore.open(dir, H2DocumentStore.Options.defaults().withDurability(Durability.POWER_LOSS));
        String id = newDoc();
        Editor alice = new Editor(11);
        for (int i = 0; i < 5; i++) {
            store.appendUpdate(id, alice.edit(t -> t.insert(0, "x")), "alice", "c1", at(i));
        }
        reopen();
        assertArrayEquals(Updates.encodeStateAsUpdate(alice.doc), store.loadState(id));
    }

    /**
     * With WRITE_DELAY=0 every commit writes a new chunk, and H2 stops tidying the file itself; without H2Housekeeping
     * these 3,000 one-character updates left a file of ~20 MB (over 6 KB each), growing forever. POWER_LOSS reuses
     * dead space at once (RETENTION_TIME=0), so the bound shows within the test.
     */
    @Test
    void manyCommitsDoNotGrowTheFileWithoutBound() throws Exception {
        store.close();
        store = H2DocumentStore.open(dir, H2DocumentStore.Options.defaults().withDurability(Durability.POWER_LOSS));
        String id = newDoc();
        Editor alice = new Editor(11);
        for (int i = 0; i < 3000; i++) {
            store.appendUpdate(id, alice.edit(t -> t.insert(t.length(), "x")), "alice", "c1", at(i));
        }
        long size = java.nio.file.Files.size(dir.resolve("quire.mv.db"));
        assertTrue(size < 8 << 20, "the file grew to " + (size >> 10) + " KB for 3,000 one-character updates");
    }

    @Test
    void argumentsAreCheckedBeforeAnythingIsStored() {
        String id = newDoc();
        byte[] u = new Editor(1).edit(t -> t.insert(0, "x"));
        assertThrows(IllegalArgumentException.class, () -> store.appendUpdate(id, u, " ", "c1", at(1)));
        assertThrows(IllegalArgumentException.class, () -> store.appendUpdate(id, u, "u".repeat(201), "c1", at(1)));
        assertThrows(IllegalArgumentException.class, () -> store.createDocument("ws", "alice", "t".repeat(1001)));
        assertThrows(NullPointerException.class, () -> store.appendUpdate(id, null, "alice", "c1", at(1)));
        assertEquals(0, store.logStats(id).lastSeq());
    }

    @Test
    void theSameDataDirectoryCannotBeOpenedTwice() {
        StorageException e = assertThrows(StorageException.class, () -> H2DocumentStore.open(dir));
        assertEquals(StorageException.Reason.LOCKED, e.reason());
        store.close();
        assertEquals(StorageException.Reason.CLOSED,
                assertThrows(StorageException.class, () -> store.documents("ws")).reason());
    }

    private Doc load(String id) {
        Doc doc = new Doc(1000);
        Updates.applyUpdate(doc, store.loadState(id));
        return doc;
    }

    private static HistoryEntry withInSnapshot(HistoryEntry h, boolean inSnapshot) {
        return new HistoryEntry(h.seq(), h.userId(), h.connectionId(), h.serverTime(), h.byteLength(), h.added(),
                inSnapshot);
    }

}
