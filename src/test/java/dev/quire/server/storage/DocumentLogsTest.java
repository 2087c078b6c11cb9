package dev.quire.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.quire.crdt.Updates;
import dev.quire.server.storage.StorageException.Reason;
import dev.quire.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each document's updates live in a log file of its own, not in the database: what a crash leaves at a log's end is
 * restored from the journal, damage is refused, deletion and compaction rewrite the file, and more documents than
 * the logs keep open at once all stay whole.
 */
class DocumentLogsTest {
    private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

    @TempDir
    Path dir;

    private final Editor alice = new Editor(7);

    private List<byte[]> edits(Editor editor, int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(editor.edit(t -> t.insert(t.length(), "x")));
        }
        return out;
    }

    private static UpdateJournal.Entry entry(String docId, int seq, byte[] update) {
        Updates.UpdateMeta meta = Updates.parseUpdateMeta(update);
        List<ClockRange> added = new ArrayList<>();
        meta.to().forEach((client, end) -> added.add(new ClockRange(client, meta.from().getOrDefault(client, 0), end)));
        return new UpdateJournal.Entry(docId, seq, "alice", "c1", T.plusSeconds(seq), added, List.of(), update);
    }

    private Path logOf(String docId) {
        return DocumentLogs.open("file:", dir).logPath(docId);
    }

    @Test
    void updatesGoToTheDocumentsLogAndNoneToTheDatabase() throws Exception {
        String id;
        H2DocumentStore.Options createdBefore = H2DocumentStore.Options.defaults()
                .withClock(Clock.fixed(T.minusSeconds(60), ZoneOffset.UTC));
        try (H2DocumentStore store = H2DocumentStore.open(dir, createdBefore)) {
            id = store.createDocument("ws", "alice", "Notes").id();
            for (byte[] u : edits(alice, 50)) {
                store.appendUpdate(id, u, "alice", "c1", T);
            }
            assertEquals(50, store.history(id).size());
            assertEquals(T, store.document(id).orElseThrow().updatedAt(), "the update time reaches the row");
        }
        assertTrue(Files.size(logOf(id)) > 50 * 20, "the log holds the updates");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.toAbsolutePath().resolve("quire"),
                "quire", ""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM updates")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "no update rows");
        }
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            assertArrayEquals(Updates.encodeStateAsUpdate(alice.doc), store.loadState(id));
        }
    }

    /**
     * A crash while the fold thread appended to a log leaves part of a record at its end; the journal still has the
     * update (segments go only once the logs are forced), so the next open cuts the tail off and appends it again.
     */
    @Test
    void aRecordCutShortAtALogsEndIsCutOffAndRestoredFromTheJournal() throws IOException {
        String id;
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            id = store.createDocument("ws", "alice", "Notes").id();
        }
        List<byte[]> updates = edits(alice, 5);
        try (UpdateJournal journal = UpdateJournal.open("file:", dir.toRealPath(), Durability.PROCESS_CRASH,
                UpdateJournal.SEGMENT_BYTES, entries -> { }, () -> { });
             DocumentLogs logs = DocumentLogs.open("file:", dir.toRealPath())) {
            for (int i = 0; i < updates.size(); i++) {
                UpdateJournal.Entry e = entry(id, i + 1, updates.get(i));
                journal.append(e, UpdateRecord.encode(e));
                if (i < 3) {
                    logs.append(e, UpdateRecord.encode(e)); // folded before the crash
                }
            }
        }
        byte[] fourth = UpdateRecord.encode(entry(id, 4, updates.get(3)));
        Files.write(logOf(id), Arrays.copyOf(fourth, fourth.length - 3), StandardOpenOption.APPEND);

        try (LogCapture captured = LogCapture.of(DocumentLogs.class.getName(), Level.WARN);
             H2DocumentStore store = H2DocumentStore.open(dir)) {
            assertTrue(captured.events().stream()
                    .anyMatch(e -> e.getFormattedMessage().contains("document_log_torn_tail")), "reported");
            List<HistoryEntry> history = store.history(id);
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), history.stream().map(HistoryEntry::seq).toList());
            assertEquals(T.plusSeconds(5), history.get(4).serverTime());
            assertArrayEquals(Updates.encodeStateAsUpdate(alice.doc), store.loadState(id));
        }
        long fifth = UpdateRecord.encode(entry(id, 5, updates.get(4))).length;
        long cutAt = Files.size(logOf(id)) - fourth.length - fifth; // the end of the third record
        Path kept = logOf(id).resolveSibling(logOf(id).getFileName() + ".cut-" + cutAt);
        assertEquals(fourth.length - 3, Files.size(kept), "what was cut off is kept beside the log");
    }

    @Test
    void damageInsideALogIsRefusedWithItsFileAndNothingIsRewritten() throws IOException {
        String id;
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            id = store.createDocument("ws", "alice", "Notes").id();
            for (byte[] u : edits(alice, 3)) {
                store.appendUpdate(id, u, "alice", "c1", T);
            }
        }
        Path log = logOf(id);
        byte[] bytes = Files.readAllBytes(log);
        bytes[DocumentLogs.MAGIC.length + 20] ^= 0x5a; // inside the first record
        Files.write(log, bytes);

        // the journal's last segment is replayed into the log on open, which finds the damage
        StorageException e = assertThrows(StorageException.class, () -> H2DocumentStore.open(dir));
        assertEquals(Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains(id) && e.getMessage().contains(log.getFileName().toString())
                && e.getMessage().contains("checksum"), e.getMessage());
        assertArrayEquals(bytes, Files.readAllBytes(log), "the damaged log is left as it is");
    }

    @Test
    void deletingADocumentDeletesItsLogAndTheIdStartsAfreshWhenCreatedAgain() {
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            store.createDocument("doc-x", "ws", "alice", "Notes");
            for (byte[] u : edits(alice, 3)) {
                store.appendUpdate("doc-x", u, "alice", "c1", T);
            }
            assertEquals(3, store.history("doc-x").size()); // folded into the log now
            assertTrue(Files.exists(logOf("doc-x")));
            assertTrue(store.deleteDocument("doc-x"));
            assertFalse(Files.exists(logOf("doc-x")));

            store.createDocument("doc-x", "ws", "alice", "Notes again");
            assertEquals(List.of(), store.history("doc-x"));
            Editor bob = new Editor(8);
            assertEquals(1, store.appendUpdate("doc-x", bob.edit(t -> t.insert(0, "new")), "alice", "c2", T).seq());
        }
    }

    /** A log left by a crash between deleting a document's row and its file is not taken for a new document's. */
    @Test
    void aLogLeftBehindByADeletionIsNotReadIntoANewDocumentWithTheSameId() throws IOException {
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            store.createDocument("doc-x", "ws", "alice", "Notes");
            for (byte[] u : edits(alice, 3)) {
                store.appendUpdate("doc-x", u, "alice", "c1", T);
            }
        }
        Path log = logOf("doc-x");
        byte[] orphan = Files.readAllBytes(log);
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            store.deleteDocument("doc-x");
        }
        Files.write(log, orphan); // as if the crash came before the file was deleted
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            store.createDocument("doc-x", "ws", "alice", "Notes again");
            assertEquals(List.of(), store.history("doc-x"));
        }
    }

    @Test
    void compactionRewritesTheLogWithoutTheBytesButWithWhoWroteWhat() throws IOException {
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            String id = store.createDocument("ws", "alice", "Notes").id();
            for (byte[] u : edits(alice, 40)) {
                store.appendUpdate(id, u, "alice", "c1", T);
            }
            assertEquals(40, store.history(id).size()); // folded into the log now
            long before = Files.size(logOf(id));
            Compaction done = store.compact(id);
            assertEquals(40, done.foldedUpdates());
            assertTrue(Files.size(logOf(id)) < before, Files.size(logOf(id)) + " bytes after, " + before + " before");
            List<HistoryEntry> history = store.history(id);
            assertEquals(40, history.size());
            assertTrue(history.stream().allMatch(HistoryEntry::inSnapshot));
            assertEquals("alice", store.writerOf(id, 7, 39).orElseThrow().userId());
            assertEquals(0, store.logStats(id).logUpdates());
            byte[] more = alice.edit(t -> t.insert(0, "after"));
            assertEquals(41, store.appendUpdate(id, more, "alice", "c1", T).seq());
        }
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            String id = store.documents("ws").get(0).id();
            assertArrayEquals(Updates.encodeStateAsUpdate(alice.doc), store.loadState(id));
            assertEquals(1, store.logStats(id).logUpdates());
        }
    }

    /** Every compactAfter updates the store compacts the document by itself (here in the writer's thread, after it). */
    @Test
    void aDocumentIsCompactedByItselfEverySoManyUpdates() {
        String id;
        H2DocumentStore.Options everyTen = H2DocumentStore.Options.defaults().withCompaction(10, Runnable::run);
        try (H2DocumentStore store = H2DocumentStore.open(dir, everyTen)) {
            id = store.createDocument("ws", "alice", "Notes").id();
            for (byte[] u : edits(alice, 25)) {
                store.appendUpdate(id, u, "alice", "c1", T);
            }
            LogStats stats = store.logStats(id);
            assertEquals(List.of(25L, 20L, 5L), List.of(stats.lastSeq(), stats.snapshotSeq(), stats.logUpdates()));
            List<HistoryEntry> history = store.history(id);
            assertEquals(25, history.size(), "every update keeps its attribution");
            assertEquals(20, history.stream().filter(HistoryEntry::inSnapshot).count());
        }
        try (H2DocumentStore store = H2DocumentStore.open(dir, everyTen)) {
            assertArrayEquals(Updates.encodeStateAsUpdate(alice.doc), store.loadState(id));
            for (byte[] u : edits(alice, 5)) { // counted from the snapshot after a restart too
                store.appendUpdate(id, u, "alice", "c1", T);
            }
            assertEquals(30, store.logStats(id).snapshotSeq());
            assertArrayEquals(Updates.encodeStateAsUpdate(alice.doc), store.loadState(id));
        }
    }

    @Test
    void moreDocumentsThanOpenLogsAllKeepTheirUpdates() {
        int docs = DocumentLogs.OPEN_FILES + 6;
        List<String> ids = new ArrayList<>();
        List<Editor> editors = new ArrayList<>();
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            for (int round = 0; round < 2; round++) {
                for (int d = 0; d < docs; d++) {
                    if (round == 0) {
                        ids.add(store.createDocument("ws", "alice", "Doc " + d).id());
                        editors.add(new Editor(100 + d));
                    }
                    store.appendUpdate(ids.get(d), editors.get(d).edit(t -> t.insert(0, "y")), "alice", "c1", T);
                    if (d % 10 == 0) {
                        store.history(ids.get(d)); // folds now, so that logs are opened and closed in turn
                    }
                }
            }
        }
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            for (int d = 0; d < docs; d++) {
                assertEquals(2, store.history(ids.get(d)).size(), "document " + d);
                assertArrayEquals(Updates.encodeStateAsUpdate(editors.get(d).doc), store.loadState(ids.get(d)));
            }
        }
    }

    /** Left alone in a data directory, a log is checked against the document it claims to be. */
    @Test
    void aLogHoldingAnotherDocumentsUpdatesIsRefused() throws IOException, SQLException {
        String a;
        String b;
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            a = store.createDocument("ws", "alice", "A").id();
            b = store.createDocument("ws", "alice", "B").id();
            store.appendUpdate(a, alice.edit(t -> t.insert(0, "a")), "alice", "c1", T);
        }
        Files.copy(logOf(a), logOf(b));
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            StorageException e = assertThrows(StorageException.class, () -> store.history(b));
            assertEquals(Reason.CORRUPT, e.reason());
        }
    }
}
