package dev.quire.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PROCESS_CRASH's periodic force runs on the background executor, never in the committing thread, at most one at a
 * time and at most once per interval; POWER_LOSS forces in the committing thread.
 */
class H2HousekeepingTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    /** Keeps the tasks it is given, to run them when the test says. */
    private static final class HeldTasks implements Executor {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            List<Runnable> now = new ArrayList<>(tasks);
            tasks.clear();
            now.forEach(Runnable::run);
        }
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("h") + ";WRITE_DELAY=0", "sa", "");
    }

    @Test
    void processCrashForcesInTheBackgroundOncePerInterval() throws Exception {
        AtomicLong now = new AtomicLong(0);
        HeldTasks background = new HeldTasks();
        try (Connection c = connect()) {
            H2Housekeeping h = H2Housekeeping.of(c, Durability.PROCESS_CRASH, background, now::get);

            now.set(SECOND / 2);
            h.afterCommit(c);
            assertEquals(0, background.tasks.size(), "no force within the first interval");

            now.set(SECOND + 1);
            h.afterCommit(c);
            assertEquals(1, background.tasks.size(), "a force is due: handed to the background, not run here");
            h.afterCommit(c);
            assertEquals(1, background.tasks.size(), "one force at a time");

            now.set(SECOND + 2);
            background.runAll(); // the force starts at SECOND + 2
            now.set(2 * SECOND);
            h.afterCommit(c);
            assertEquals(0, background.tasks.size(), "the interval counts from the last force");
            now.set(2 * SECOND + 3);
            h.afterCommit(c);
            assertEquals(1, background.tasks.size());
        }
    }

    @Test
    void powerLossForcesInTheCommittingThread() throws Exception {
        AtomicLong now = new AtomicLong(0);
        HeldTasks background = new HeldTasks();
        try (Connection c = connect()) {
            H2Housekeeping h = H2Housekeeping.of(c, Durability.POWER_LOSS, background, now::get);
            now.set(10 * SECOND);
            h.afterCommit(c); // CHECKPOINT SYNC here; it would throw if the connection could not run it
            assertEquals(0, background.tasks.size());
        }
    }
}
