package dev.quire.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.crdt.Updates;
import dev.quire.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Acknowledged and received history is folded into the state in the background; the file stays near the text. */
class CompactionTest {
    private static final int EDITS = 10_000;

    @TempDir
    Path dir;

    /** Runs what it is given only when the test says so: the "background" is the test thread, one step at a time. */
    private static final class ManualExecutor implements Executor {
        final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable r) {
            tasks.add(r);
        }

        synchronized int runAll() {
            int n = 0;
            for (Runnable r; (r = tasks.poll()) != null; n++) {
                r.run();
            }
            return n;
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void tenThousandSmallEditsCompactToAFileNearTheDocumentSize() throws Exception {
        ManualExecutor background = new ManualExecutor();
        Editor alice = new Editor(77);
        Editor bob = new Editor(78);
        try (LocalStore store = LocalStore.open("file:", "", dir, TestClock.at("2026-11-24T09:00:00Z"), background,
                null, LocalStore.Options.defaults())) {
            long peak = 0;
            for (int i = 0; i < EDITS; i++) {
                int at = i;
                if (i % 10 == 9) { // every tenth edit comes from the server
                    byte[] remote = bob.edit(t -> t.insert(0, "r"));
                    alice.receive(remote);
                    store.appendRemote("doc", remote);
                } else {
                    store.appendLocal("doc", "alice", alice.edit(t -> t.insert(t.length() / 2, "a")));
                }
                if (at % 100 == 99) { // the server acknowledges in batches
                    store.acknowledged("doc", 77, Updates.parseUpdateMeta(
                            Updates.encodeStateAsUpdate(alice.doc)).to().get(77L));
                }
                if (at % 1000 == 999) {
                    peak = Math.max(peak, Files.size(dir.resolve(Database.DATABASE_FILE)));
                    background.runAll();
                }
            }
            assertTrue(store.pending("doc", "alice").isEmpty());
            store.appendRemote("doc", bob.edit(t -> t.insert(0, "!"))); // history left for the final compaction
            alice.receive(Updates.encodeStateAsUpdate(bob.doc));
            store.compact("doc");
            background.runAll();
            long after = Files.size(dir.resolve(Database.DATABASE_FILE));
            byte[] state = Updates.encodeStateAsUpdate(alice.doc);
            System.out.printf("%d edits: file up to %,d bytes between compactions, %,d after; document %,d bytes%n",
                    EDITS, peak, after, state.length);
            assertTrue(peak > after, "the edits left dead space for compaction to remove");
            assertEquals(alice.text.toString(), Editor.textOf(store.load("doc")));
            // H2's fixed overhead (file header, schema, a few chunks) plus a few times the document
            assertTrue(after <= 256 * 1024 + 4L * state.length, "file " + after + " bytes for a document of "
                    + state.length);
        }
        try (LocalStore store = LocalStore.open(dir, TestClock.at("2026-11-24T09:00:00Z"))) {
            assertEquals(alice.text.toString(), Editor.textOf(store.load("doc")), "the compacted file reopens");
        }
    }

    @Test
    void compactionStartsInTheBackgroundAfterEnoughHistoryAndKeepsTheText() {
        ManualExecutor background = new ManualExecutor();
        Editor server = new Editor(5);
        try (LocalStore store = LocalStore.open("file:", "", dir, TestClock.at("2026-11-24T09:00:00Z"), background,
                null, new LocalStore.Options(20, Long.MAX_VALUE, 4))) {
            for (int i = 0; i < 19; i++) {
                store.appendRemote("doc", server.edit(t -> t.insert(0, "x")));
            }
            assertEquals(0, background.runAll(), "19 rows: not yet");
            store.appendRemote("doc", server.edit(t -> t.insert(0, "y")));
            assertEquals(1, background.runAll(), "the 20th row queues one compaction");
            assertEquals("y" + "x".repeat(19), Editor.textOf(store.load("doc")));
            assertEquals(0, background.runAll());
            for (int i = 0; i < 20; i++) {
                store.appendRemote("doc", server.edit(t -> t.insert(0, "z")));
            }
            assertEquals(1, background.runAll(), "and again after 20 more");
        }
    }

    @Test
    void anEditAcknowledgedWhileACompactionMergesIsNeitherLostNorFoldedTwice() {
        ManualExecutor background = new ManualExecutor();
        Editor alice = new Editor(1);
        Editor server = new Editor(2);
        try (LocalStore store = LocalStore.open("file:", "", dir, TestClock.at("2026-11-24T09:00:00Z"), background,
                null, LocalStore.Options.defaults())) {
            store.appendLocal("doc", "alice", alice.edit(t -> t.insert(0, "mine ")));   // an older number
            store.appendRemote("doc", server.edit(t -> t.insert(0, "theirs ")));       // a newer one
            // the ack arrives after the compaction read the history and before it writes its result
            store.afterCompactionRead = () -> assertEquals(1, store.acknowledged("doc", 1, 5));
            store.compact("doc");
            background.runAll();
            store.afterCompactionRead = () -> { };
            assertTrue(store.pending("doc", "alice").isEmpty());
            String text = Editor.textOf(store.load("doc"));
            assertTrue(text.contains("mine ") && text.contains("theirs "), text);
            store.compact("doc");
            background.runAll();
            assertEquals(text, Editor.textOf(store.load("doc")));
        }
    }
}
