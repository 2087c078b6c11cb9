package dev.quire.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.crdt.Updates;
import dev.quire.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox, history and sync metadata of one profile, on a real H2 file. */
class LocalStoreTest {
    private static final String DOC = "doc-1";

    @TempDir
    Path dir;

    private final TestClock clock = TestClock.at("2026-11-24T09:00:00Z");

    @Test
    void anAppendedEditIsPendingWithItsClockRangesAndUserAndSurvivesReopening() {
        Editor alice = new Editor(7);
        byte[] hello = alice.edit(t -> t.insert(0, "hello"));
        OutboxEntry entry;
        try (LocalStore store = LocalStore.open(dir, clock)) {
            entry = store.appendLocal(DOC, "alice", hello);
            assertEquals(List.of(new ClockRange(7, 0, 5)), entry.clocks());
            assertEquals(clock.instant(), entry.createdAt());
        }
        try (LocalStore store = LocalStore.open(dir, clock)) {
            List<OutboxEntry> pending = store.pending(DOC, "alice");
            assertEquals(1, pending.size());
            assertEquals(entry.seq(), pending.get(0).seq());
            assertEquals(entry.clocks(), pending.get(0).clocks());
            assertArrayEquals(hello, pending.get(0).update());
            assertEquals(List.of(DOC), store.documents());
        }
    }

    @Test
    void listChangesAreKeptInOrderPerUserAcrossReopeningUntilRemoved() {
        ListChange create;
        try (LocalStore store = LocalStore.open(dir, clock)) {
            create = store.listChanges().add("alice", ListChange.Kind.CREATE, "d-1", null, "Plan");
            store.listChanges().add("bob", ListChange.Kind.DELETE, "d-9", null, null);
            store.listChanges().add("alice", ListChange.Kind.RENAME, "d-1", null, "Plan v2");
            store.listChanges().add("alice", ListChange.Kind.CREATE_WORKSPACE, "w-1", null, "Trip");
            store.listChanges().add("alice", ListChange.Kind.RENAME_WORKSPACE, "w-1", null, "Trip v2");
            assertThrows(IllegalArgumentException.class,
                    () -> store.listChanges().add("alice", ListChange.Kind.RENAME, "d-1", null, null));
        }
        try (LocalStore store = LocalStore.open(dir, clock)) {
            List<ListChange> alices = store.listChanges().pending("alice");
            assertEquals(List.of(ListChange.Kind.CREATE, ListChange.Kind.RENAME, ListChange.Kind.CREATE_WORKSPACE,
                    ListChange.Kind.RENAME_WORKSPACE), alices.stream().map(ListChange::kind).toList(),
                    "workspace changes read back as such, in order among the documents'");
            assertEquals(create, alices.get(0));
            assertEquals("Plan v2", alices.get(1).title());
            store.listChanges().remove(alices.get(0));
            assertEquals(3, store.listChanges().pending("alice").size());
            assertEquals("d-9", store.listChanges().pending("bob").get(0).docId(), "bob's are bob's alone");
        }
    }

    /** Changes queued by a Quire of local schema 3 (documents only) read back as document changes at schema 4. */
    @Test
    void listChangesQueuedAtSchemaThreeReadBackAfterTheWorkspaceMigration() {
        try (LocalStore store = LocalStore.open(dir, clock)) {
            store.listChanges().add("alice", ListChange.Kind.CREATE, "d-1", "w-1", "Plan");
            store.listChanges().add("alice", ListChange.Kind.DELETE, "d-2", null, null);
            store.database().transaction("going back to schema 3", c -> {
                try (var st = c.createStatement()) {
                    st.execute("ALTER TABLE list_changes DROP COLUMN subject");
                    st.execute("DELETE FROM schema_version WHERE version = 4");
                }
                return null;
            });
        }
        try (LocalStore store = LocalStore.open(dir, clock)) {
            List<ListChange> alices = store.listChanges().pending("alice");
            assertEquals(List.of(ListChange.Kind.CREATE, ListChange.Kind.DELETE),
                    alices.stream().map(ListChange::kind).toList());
            assertEquals("w-1", alices.get(0).workspaceId());
        }
    }

    @Test
    void anotherUsersEntriesAreNeverReturnedForADifferentUserButAreLoaded() {
        Editor alice = new Editor(1);
        Editor bob = new Editor(2);
        try (LocalStore store = LocalStore.open(dir, clock)) {
            store.appendLocal(DOC, "alice", alice.edit(t -> t.insert(0, "alice wrote this")));
            byte[] bobs = bob.edit(t -> t.insert(0, "bob "));
            store.appendLocal(DOC, "bob", bobs);

            assertTrue(store.pending(DOC, "bob").stream().allMatch(e -> e.userId().equals("bob")));
            assertEquals(1, store.pending(DOC, "bob").size());
            assertEquals("bob ", Editor.textOf(store.mergedOutbox(DOC, "bob").orElseThrow().update()));
            assertTrue(store.pending(DOC, "carol").isEmpty());
            assertTrue(store.mergedOutbox(DOC, "carol").isEmpty());
            assertEquals(Map.of(DOC, 1), store.unsentCounts("alice"));

            // the screen shows everybody's unsent edits
            String loaded = Editor.textOf(store.load(DOC));
            assertTrue(loaded.contains("alice wrote this") && loaded.contains("bob "), loaded);
        }
    }

    @Test
    void anAckDropsExactlyTheEntriesWhoseClocksItCoversAndKeepsTheirContent() {
        Editor alice = new Editor(5);
        try (LocalStore store = LocalStore.open(dir, clock)) {
            store.appendLocal(DOC, "alice", alice.edit(t -> t.insert(0, "abc")));   // clocks [0,3)
            store.appendLocal(DOC, "alice", alice.edit(t -> t.insert(3, "def")));   // [3,6)
            store.appendLocal(DOC, "alice", alice.edit(t -> t.insert(6, "ghi")));   // [6,9)

            assertEquals(0, store.acknowledged(DOC, 5, 2), "a partial ack covers no entry");
            assertEquals(0, store.acknowledged(DOC, 99, 100), "another client's ack covers nothing");
            assertEquals(2, store.acknowledged(DOC, 5, 6));
            assertEquals(List.of(new ClockRange(5, 6, 9)),
                    store.pending(DOC, "alice").stream().flatMap(e -> e.clocks().stream()).toList());
            assertEquals(0, store.acknowledged(DOC, 5, 4), "an older ack changes nothing");
            assertEquals("abcdefghi", Editor.textOf(store.load(DOC)), "acknowledged edits stay in the document");
            assertEquals(1, store.acknowledged(DOC, 5, 9));
            assertTrue(store.pending(DOC, "alice").isEmpty());
            assertEquals(0, clockRows(store, DOC), "acknowledged entries take their clock ranges along");
            assertEquals("abcdefghi", Editor.textOf(store.load(DOC)));
        }
    }

    @Test
    void aDeleteOnlyEntryWaitsForALaterEntryOfItsUserOrAnExplicitAck() {
        Editor alice = new Editor(5);
        try (LocalStore store = LocalStore.open(dir, clock)) {
            store.appendLocal(DOC, "alice", alice.edit(t -> t.insert(0, "abcdef")));  // [0,6)
            OutboxEntry delete = store.appendLocal(DOC, "alice", alice.edit(t -> t.delete(0, 2)));
            assertTrue(delete.clocks().isEmpty(), "a delete adds no structs");

            // the ack of the insert (clock 6) cannot tell whether the delete arrived too
            assertEquals(1, store.acknowledged(DOC, 5, 6));
            assertEquals(List.of(delete.seq()), store.pending(DOC, "alice").stream().map(OutboxEntry::seq).toList());

            // a later insert acknowledged: the server stored the delete before it
            OutboxEntry later = store.appendLocal(DOC, "alice", alice.edit(t -> t.insert(0, "x")));
            assertEquals(2, store.acknowledged(DOC, 5, 7));
            assertTrue(store.pending(DOC, "alice").isEmpty());

            OutboxEntry trailing = store.appendLocal(DOC, "alice", alice.edit(t -> t.delete(0, 1)));
            assertEquals(0, store.acknowledged(DOC, 5, 7));
            assertEquals(1, store.acknowledgedThrough(DOC, "alice", trailing.seq()));
            assertTrue(store.pending(DOC, "alice").isEmpty());
            assertTrue(later.seq() < trailing.seq());
            assertEquals("cdef", Editor.textOf(store.load(DOC)));
        }
    }

    @Test
    void aDeleteOnlyEntryOfOneUserIsNotDroppedByAnotherUsersAck() {
        Editor alice = new Editor(1);
        Editor bob = new Editor(2);
        try (LocalStore store = LocalStore.open(dir, clock)) {
            byte[] base = alice.edit(t -> t.insert(0, "base"));
            store.appendLocal(DOC, "alice", base);
            store.acknowledged(DOC, 1, 4);
            bob.receive(base);
            store.appendLocal(DOC, "alice", alice.edit(t -> t.delete(0, 1)));
            store.appendLocal(DOC, "bob", bob.edit(t -> t.insert(0, "B")));
            assertEquals(1, store.acknowledged(DOC, 2, 1));
            assertEquals(1, store.pending(DOC, "alice").size(), "alice's unsent delete still waits for alice");
        }
    }

    @Test
    void mergedOutboxIsOneUpdateWithTheSameEffectAsTheEntries() {
        Editor alice = new Editor(3);
        try (LocalStore store = LocalStore.open(dir, clock)) {
            for (int i = 0; i < 50; i++) {
                int at = i;
                store.appendLocal(DOC, "alice", alice.edit(t -> t.insert(at, Character.toString('a' + at % 26))));
            }
            MergedOutbox merged = store.mergedOutbox(DOC, "alice").orElseThrow();
            assertEquals(50, merged.entries());
            assertEquals(alice.text.toString(), Editor.textOf(merged.update()));
            assertEquals(50, store.acknowledgedThrough(DOC, "alice", merged.lastSeq()));
            assertTrue(store.mergedOutbox(DOC, "alice").isEmpty());
        }
    }

    @Test
    void loadingMergesStateRemoteUpdatesAndEveryUsersOutbox() {
        Editor server = new Editor(10);
        Editor alice = new Editor(11);
        try (LocalStore store = LocalStore.open(dir, clock)) {
            assertEquals("", Editor.textOf(store.load("unknown")));
            byte[] remote = server.edit(t -> t.insert(0, "remote "));
            store.appendRemote(DOC, remote);
            alice.receive(remote);
            store.appendLocal(DOC, "alice", alice.edit(t -> t.insert(7, "local")));
            assertEquals("remote local", Editor.textOf(store.load(DOC)));
            store.compact(DOC).join();
            assertEquals("remote local", Editor.textOf(store.load(DOC)), "compaction keeps the text");
            assertEquals(1, store.pending(DOC, "alice").size(), "and never folds the outbox into the state");
        }
    }

    @Test
    void syncMetadataRecordsTheTimeFromTheClockAndTheServerStateVector() {
        Editor server = new Editor(10);
        server.edit(t -> t.insert(0, "x"));
        byte[] sv = Updates.encodeStateVector(server.doc);
        try (LocalStore store = LocalStore.open(dir, clock)) {
            assertTrue(store.syncMetadata(DOC).isEmpty());
            clock.advance(Duration.ofMinutes(3));
            store.markSynced(DOC, sv);
        }
        try (LocalStore store = LocalStore.open(dir, clock)) {
            SyncMetadata meta = store.syncMetadata(DOC).orElseThrow();
            assertEquals(clock.instant(), meta.lastSynced());
            assertArrayEquals(sv, meta.serverStateVector());
        }
    }

    @Test
    void unsentEditsExportAsOneYjsUpdateFilePerDocumentAndDiscardRemovesOnlyThatUsersEdits() throws Exception {
        Editor alice = new Editor(1);
        Editor alice2 = new Editor(2);
        Editor bob = new Editor(3);
        Path out = dir.resolve("export");
        try (LocalStore store = LocalStore.open(dir.resolve("profile"), clock)) {
            store.appendLocal("notes", "alice", alice.edit(t -> t.insert(0, "first ")));
            store.appendLocal("notes", "alice", alice.edit(t -> t.insert(6, "second")));
            store.appendLocal("../../etc/passwd", "alice", alice2.edit(t -> t.insert(0, "other doc")));
            store.appendLocal("notes", "bob", bob.edit(t -> t.insert(0, "bob's")));

            List<Path> files = store.exportUnsent("alice", out);
            assertEquals(2, files.size());
            for (Path f : files) {
                assertEquals(out, f.getParent(), "a hostile document id stays inside the export folder");
            }
            List<String> texts = files.stream().map(f -> Editor.textOf(readAll(f))).sorted().toList();
            assertEquals(List.of("first second", "other doc"), texts);
            assertEquals(2, store.pending("notes", "alice").size(), "export keeps the outbox");

            assertEquals(2, store.discardUnsent("notes", "alice"));
            assertTrue(store.pending("notes", "alice").isEmpty());
            assertEquals(1, store.pending("notes", "bob").size(), "bob's edits are not alice's to discard");
            assertEquals(1, clockRows(store, "notes"), "alice's clock ranges went with her entries, bob's stayed");
            assertEquals("bob's", Editor.textOf(store.load("notes")));
        }
    }

    @Test
    void malformedUpdatesAndBadIdsAreRefusedBeforeAnythingIsStored() {
        try (LocalStore store = LocalStore.open(dir, clock)) {
            assertThrows(IllegalArgumentException.class, () -> store.appendLocal(DOC, "alice", new byte[] {5, 1, 2}));
            assertThrows(IllegalArgumentException.class, () -> store.appendLocal("", "alice", new byte[] {0, 0}));
            assertThrows(IllegalArgumentException.class, () -> store.appendLocal(DOC, "x".repeat(201), new byte[] {0, 0}));
            assertTrue(store.documents().isEmpty());
        }
    }

    @Test
    void aClosedStoreSaysSo() {
        LocalStore store = LocalStore.open(dir, clock);
        store.close();
        LocalStoreException e = assertThrows(LocalStoreException.class,
                () -> store.appendLocal(DOC, "alice", new Editor(1).edit(t -> t.insert(0, "x"))));
        assertEquals(LocalStoreException.Reason.CLOSED, e.reason());
    }

    private static byte[] readAll(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void acknowledgedEntriesAreMovedAsRangesThatHoldNoOtherOutboxEntry() {
        var runs = LocalStore.runs(java.util.List.of(1L, 2L, 5L, 6L, 9L, 12L), java.util.Set.of(1L, 2L, 6L, 9L));
        assertEquals(2, runs.size());
        assertEquals(java.util.List.of(1L, 2L), java.util.List.of(runs.get(0)[0], runs.get(0)[1]));
        assertEquals(java.util.List.of(6L, 9L), java.util.List.of(runs.get(1)[0], runs.get(1)[1]),
                "7 and 8 are not in the outbox (history rows): the range may span them");
    }

    /** Rows of the outbox's clock ranges for a document (no foreign key removes them: the store must). */
    private static int clockRows(LocalStore store, String docId) {
        return store.database().transaction("counting", c -> {
            try (var ps = c.prepareStatement("SELECT COUNT(*) FROM outbox_clocks WHERE doc_id = ?")) {
                ps.setString(1, docId);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }
}
