package dev.quire.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.testing.TestClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A burst of keystrokes from several threads shares one transaction; counted in commits, not measured in time. */
class GroupCommitTest {
    private static final int THREADS = 8;
    private static final int PER_THREAD = 5;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void keystrokesQueuedDuringACommitShareTheNextCommit() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try (LocalStore store = LocalStore.open(dir, TestClock.at("2026-11-24T09:00:00Z"))) {
            List<List<byte[]>> edits = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Editor e = new Editor(100 + t);
                List<byte[]> mine = new ArrayList<>();
                for (int i = 0; i < PER_THREAD; i++) {
                    int at = i;
                    mine.add(e.edit(x -> x.insert(at, "k")));
                }
                edits.add(mine);
            }
            List<Future<List<OutboxEntry>>> results = new ArrayList<>();
            long before;
            // hold the database as a slow commit would, while every thread queues its first keystroke
            try (AutoCloseable held = store.database().holdLock()) {
                before = store.commitCount();
                for (int t = 0; t < THREADS; t++) {
                    List<byte[]> mine = edits.get(t);
                    results.add(threads.submit(() -> {
                        List<OutboxEntry> out = new ArrayList<>();
                        for (byte[] u : mine) {
                            out.add(store.appendLocal("doc", "alice", u));
                        }
                        return out;
                    }));
                }
                awaitQueued(store, THREADS);
            }
            Set<Long> seqs = new HashSet<>();
            for (Future<List<OutboxEntry>> f : results) {
                f.get(20, TimeUnit.SECONDS).forEach(e -> seqs.add(e.seq()));
            }
            long commits = store.commitCount() - before;
            assertEquals(THREADS * PER_THREAD, seqs.size(), "every append returned its own entry");
            assertEquals(THREADS * PER_THREAD, store.pending("doc", "alice").size());
            // the first burst of THREADS writes is one commit; each thread's remaining keystrokes at most one each
            assertTrue(commits <= 1 + (long) THREADS * (PER_THREAD - 1), "commits: " + commits);
            assertTrue(commits < THREADS * PER_THREAD, "some keystrokes shared a commit: " + commits);
            System.out.printf("%d appends in %d commits%n", THREADS * PER_THREAD, commits);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aBurstQueuedBehindOneCommitIsWrittenInExactlyOneMore() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try (LocalStore store = LocalStore.open(dir, TestClock.at("2026-11-24T09:00:00Z"))) {
            List<Future<OutboxEntry>> results = new ArrayList<>();
            long before;
            try (AutoCloseable held = store.database().holdLock()) {
                before = store.commitCount();
                for (int t = 0; t < THREADS; t++) {
                    byte[] u = new Editor(200 + t).edit(x -> x.insert(0, "z"));
                    results.add(threads.submit(() -> store.appendLocal("doc", "alice", u)));
                }
                awaitQueued(store, THREADS);
            }
            for (Future<OutboxEntry> f : results) {
                f.get(20, TimeUnit.SECONDS);
            }
            assertEquals(1, store.commitCount() - before, "eight queued keystrokes, one commit");
        } finally {
            threads.shutdownNow();
        }
    }

    /** Waits (spinning, not sleeping) until {@code n} writes wait for the next group commit. */
    private static void awaitQueued(LocalStore store, int n) throws TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.database().queuedWrites() < n) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("only " + store.database().queuedWrites() + " writes queued");
            }
            Thread.onSpinWait();
        }
    }
}
