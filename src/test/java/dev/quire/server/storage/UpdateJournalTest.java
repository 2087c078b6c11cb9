package dev.quire.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-ahead journal under the document store: updates are folded into their logs many at a time, what a
 * crash leaves in the journal is replayed on open, a torn last record is dropped, damage refuses to open, and folded
 * segments are deleted.
 */
class UpdateJournalTest {
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path dir;

    private final Editor alice = new Editor(7);

    private List<byte[]> edits(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int at = i;
            out.add(alice.edit(t -> t.insert(at, "x")));
        }
        return out;
    }

    @Test
    void updatesReachTheirLogsManyAtATime() {
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            String id = store.createDocument("ws", "alice", "Notes").id();
            long before = store.journalFolds();
            List<byte[]> updates = edits(300);
            for (byte[] u : updates) {
                store.appendUpdate(id, u, "alice", "c1", T);
            }
            assertEquals(300, store.history(id).size(), "history folds what is journaled before it reads");
            long folds = store.journalFolds() - before;
            // one fold per update would be 300; the background gathers for 100 ms, a flush takes the rest
            assertTrue(folds >= 1 && folds <= 30, folds + " folds for 300 updates");
        }
    }

    /**
     * Folds go to the document logs and write the database file at most once a second (the update times; the journal
     * still holds everything); a copy of the data directory taken meanwhile, which is what a crash would leave, has
     * every update once opened.
     */
    @Test
    void foldsDoNotWriteTheFileEachAndACrashBeforeItWritesLosesNothing() throws IOException {
        Path copy = dir.resolve("crashed");
        String id;
        try (H2DocumentStore store = H2DocumentStore.open(dir.resolve("live"))) {
            id = store.createDocument("ws", "alice", "Notes").id();
            long folds = store.journalFolds();
            long stores = store.storedVersion();
            for (int round = 0; round < 3; round++) {
                for (byte[] u : edits(100)) {
                    store.appendUpdate(id, u, "alice", "c1", T);
                }
                assertEquals(100 * (round + 1), store.history(id).size());
            }
            folds = store.journalFolds() - folds;
            stores = store.storedVersion() - stores;
            // once, every fold wrote the database file; now only the update times do, at most once a second
            assertTrue(folds >= 3 && stores <= 1, folds + " folds wrote the file " + stores + " times");
            copyTree(dir.resolve("live"), copy);
        }
        try (H2DocumentStore store = H2DocumentStore.open(copy)) {
            assertEquals(300, store.history(id).size());
            assertArrayEquals(Updates.encodeStateAsUpdate(alice.doc), store.loadState(id));
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else if (!f.getFileName().toString().endsWith(".lock.db")) {
                    Files.copy(f, target);
                }
            }
        }
    }

    /**
     * Leaves the journal as a crash would: a store with a document whose updates are journaled but not in the
     * database. Returns the document id.
     */
    private String crashWithJournaled(List<byte[]> updates) throws IOException {
        String id;
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            id = store.createDocument("ws", "alice", "Notes").id();
        }
        // the journal alone, as the store writes it, with nobody folding it
        try (UpdateJournal journal = UpdateJournal.open("file:", dir.toRealPath(), Durability.PROCESS_CRASH,
                UpdateJournal.SEGMENT_BYTES, entries -> { }, () -> { })) {
            for (int i = 0; i < updates.size(); i++) {
                Updates.UpdateMeta meta = Updates.parseUpdateMeta(updates.get(i));
                List<ClockRange> added = new ArrayList<>();
                meta.to().forEach((client, end) -> added.add(new ClockRange(client,
                        meta.from().getOrDefault(client, 0), end)));
                UpdateJournal.Entry e = new UpdateJournal.Entry(id, i + 1, "alice", "c1", T.plusSeconds(i), added,
                        i == 0 ? List.of(7L) : List.of(), updates.get(i));
                journal.append(e, UpdateRecord.encode(e));
            }
        }
        return id;
    }

    private Path onlySegment() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("journal"))) {
            List<Path> logs = files.filter(p -> p.toString().endsWith(".log")).toList();
            assertEquals(1, logs.size(), logs.toString());
            return logs.get(0);
        }
    }

    @Test
    void whatACrashLeftInTheJournalIsInTheDocumentAfterRestartWithItsAttribution() throws IOException {
        List<byte[]> updates = edits(5);
        String id = crashWithJournaled(updates);
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            assertArrayEquals(Updates.encodeStateAsUpdate(alice.doc), store.loadState(id));
            List<HistoryEntry> history = store.history(id);
            assertEquals(5, history.size());
            assertEquals(T.plusSeconds(4), history.get(4).serverTime());
            assertEquals("alice", store.writerOf(id, 7, 3).orElseThrow().userId());
            assertThrows(ClientIdTakenException.class, () -> store.appendUpdate(id,
                    alice.edit(t -> t.insert(0, "y")), "mallory", "c2", T), "the binding was replayed too");
        }
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            assertEquals(5, store.history(id).size(), "replaying is done once: nothing doubles on the next open");
        }
    }

    @Test
    void aRecordCutShortAtTheEndIsDroppedWithAWarningAndEverythingBeforeItKept() throws IOException {
        List<byte[]> updates = edits(3);
        String id = crashWithJournaled(updates);
        Path segment = onlySegment();
        byte[] partial = UpdateRecord.encode(new UpdateJournal.Entry(id, 4, "alice", "c1", T, List.of(), List.of(),
                alice.edit(t -> t.insert(0, "lost"))));
        Files.write(segment, java.util.Arrays.copyOf(partial, partial.length / 2), StandardOpenOption.APPEND);

        try (LogCapture logs = LogCapture.of(UpdateJournal.class.getName(), Level.WARN);
             H2DocumentStore store = H2DocumentStore.open(dir)) {
            assertEquals(3, store.history(id).size());
            assertTrue(logs.events().stream().anyMatch(e -> e.getFormattedMessage().contains("journal_torn_tail")),
                    "the dropped tail is reported");
            assertEquals("xxx", textOf(store.loadState(id)));
        }
    }

    @Test
    void damageInsideTheJournalRefusesToOpenAndKeepsTheFile() throws IOException {
        String id = crashWithJournaled(edits(3));
        Path segment = onlySegment();
        byte[] bytes = Files.readAllBytes(segment);
        int middle = UpdateJournal.MAGIC.length + 20; // inside the first record's payload
        bytes[middle] ^= 0x5a;
        Files.write(segment, bytes);

        StorageException e = assertThrows(StorageException.class, () -> H2DocumentStore.open(dir));
        assertEquals(Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains(segment.getFileName().toString())
                && e.getMessage().contains("checksum"), e.getMessage());
        assertArrayEquals(bytes, Files.readAllBytes(segment), "nothing is deleted or rewritten");
        // and the database was closed again: once repaired, the directory opens
        bytes[middle] ^= 0x5a;
        Files.write(segment, bytes);
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            assertEquals(3, store.history(id).size());
        }
    }

    @Test
    void segmentsAreDeletedOnceEverythingInThemIsInTheDatabase() throws IOException {
        String id;
        try (H2DocumentStore store = H2DocumentStore.open(dir, H2DocumentStore.Options.defaults(), 512)) {
            id = store.createDocument("ws", "alice", "Notes").id();
            for (byte[] u : edits(60)) { // ~100 bytes a record: a dozen segments
                store.appendUpdate(id, u, "alice", "c1", T);
            }
            assertEquals(60, store.logStats(id).logUpdates());
            onlySegment(); // the folded ones are gone, the current one stays
        }
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            assertEquals(60, store.history(id).size());
            assertArrayEquals(Updates.encodeStateAsUpdate(alice.doc), store.loadState(id));
        }
    }

    private static String textOf(byte[] state) {
        dev.quire.crdt.Doc doc = new dev.quire.crdt.Doc();
        Updates.applyUpdate(doc, state);
        return doc.getText("content").toString();
    }
}
