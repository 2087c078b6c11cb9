package dev.quire.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2Database's group commit: writes that queue while a commit is under way share the next commit, each caller
 * returns its own result after that commit, and one write's failure is its own.
 */
class GroupCommitTest {
    @TempDir
    Path dir;

    private H2Database db;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void open() {
        db = H2Database.open("file:", "", dir, Durability.PROCESS_CRASH, () -> { });
        db.transaction("creating a table", true, c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t (x INT PRIMARY KEY)");
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        db.close();
    }

    private H2Database.Work<Integer> insert(int x) {
        return c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (x) VALUES (?)")) {
                ps.setInt(1, x);
                ps.executeUpdate();
            }
            return x * 10;
        };
    }

    private List<Integer> stored() {
        return db.transaction("reading", false, c -> {
            List<Integer> out = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT x FROM t ORDER BY x")) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
            return out;
        });
    }

    /** Holds the database lock with a commit that waits for {@code release}, as a slow commit would. */
    private Future<?> slowCommit(CountDownLatch holding, CountDownLatch release) {
        return threads.submit(() -> db.transaction("a slow commit", true, c -> {
            holding.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
    }

    private void awaitQueued(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (db.queuedWrites() < n) {
            assertTrue(System.nanoTime() < deadline, "only " + db.queuedWrites() + " writes queued");
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void writesQueuedDuringACommitShareTheNextOneAndEachGetsItsOwnResult() throws Exception {
        long before = db.commitCount(); // before the slow commit takes the lock that commitCount waits for
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> slow = slowCommit(holding, release);
        assertTrue(holding.await(10, TimeUnit.SECONDS));

        List<Future<Integer>> writes = new ArrayList<>();
        for (int x = 1; x <= 4; x++) {
            int value = x;
            writes.add(threads.submit(() -> db.groupTransaction("inserting " + value, insert(value))));
        }
        awaitQueued(4);
        release.countDown();
        slow.get(10, TimeUnit.SECONDS);
        for (int x = 1; x <= 4; x++) {
            assertEquals(x * 10, writes.get(x - 1).get(10, TimeUnit.SECONDS));
        }

        // the slow commit, then one commit for all four writes
        assertEquals(before + 2, db.commitCount());
        assertEquals(List.of(1, 2, 3, 4), stored());
    }

    @Test
    void aFailingWriteFailsAloneAndTheRestOfItsGroupIsStored() throws Exception {
        db.groupTransaction("inserting 2", insert(2)); // so that inserting 2 again breaks the primary key
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> slow = slowCommit(holding, release);
        assertTrue(holding.await(10, TimeUnit.SECONDS));

        List<Future<Integer>> writes = new ArrayList<>();
        for (int x : new int[] {1, 2, 3}) {
            writes.add(threads.submit(() -> db.groupTransaction("inserting " + x, insert(x))));
        }
        awaitQueued(3);
        release.countDown();
        slow.get(10, TimeUnit.SECONDS);

        assertEquals(10, writes.get(0).get(10, TimeUnit.SECONDS));
        ExecutionException e = assertThrows(ExecutionException.class, () -> writes.get(1).get(10, TimeUnit.SECONDS));
        StorageException failure = assertInstanceOf(StorageException.class, e.getCause());
        assertTrue(failure.getMessage().startsWith("inserting 2 failed"), failure.getMessage());
        assertEquals(30, writes.get(2).get(10, TimeUnit.SECONDS));
        assertEquals(List.of(1, 2, 3), stored());
    }

    @Test
    void aLoneWriteCommitsAtOnce() {
        long before = db.commitCount();
        assertEquals(70, db.groupTransaction("inserting 7", insert(7)));
        assertEquals(before + 1, db.commitCount());
        assertEquals(List.of(7), stored());
    }
}
