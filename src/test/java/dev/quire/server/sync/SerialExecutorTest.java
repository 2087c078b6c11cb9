package dev.quire.server.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * A document's tasks run one at a time and in order, whether the socket's thread runs them itself ({@code
 * runHereOrQueue}) or the pool does; the pool here is a queue the test runs by hand, so nothing depends on timing.
 */
class SerialExecutorTest {
    /** A pool that runs nothing until told to. */
    private static final class ManualPool implements Executor {
        final ArrayDeque<Runnable> queued = new ArrayDeque<>();

        @Override
        public void execute(Runnable r) {
            queued.add(r);
        }

        void runAll() {
            while (!queued.isEmpty()) {
                queued.poll().run();
            }
        }
    }

    private final ManualPool pool = new ManualPool();
    private final SerialExecutor executor = new SerialExecutor(pool);
    private final List<String> ran = new ArrayList<>();

    @Test
    void anIdleDocumentsTaskRunsInTheCallersThreadAtOnce() {
        Thread caller = Thread.currentThread();
        Thread[] ranOn = new Thread[1];
        executor.runHereOrQueue(() -> ranOn[0] = Thread.currentThread());
        assertSame(caller, ranOn[0]);
        assertTrue(pool.queued.isEmpty(), "the pool was not needed");
    }

    @Test
    void aTaskArrivingWhileTheDocumentIsBusyWaitsItsTurnInOrder() {
        executor.execute(() -> ran.add("pool-1")); // the document is now busy: its drain waits in the pool
        executor.runHereOrQueue(() -> ran.add("socket-2"));
        assertEquals(List.of(), ran, "queued behind the pool's work, not run out of turn");
        pool.runAll();
        assertEquals(List.of("pool-1", "socket-2"), ran);
    }

    @Test
    void tasksQueuedDuringAnInlineRunFollowItThenTheRestGoesToThePool() {
        int more = SerialExecutor.INLINE_BATCH + 3;
        executor.runHereOrQueue(() -> {
            ran.add("first");
            for (int i = 0; i < more; i++) {
                int n = i;
                executor.execute(() -> ran.add("queued-" + n)); // e.g. a close callback from inside the task
            }
        });
        assertEquals(SerialExecutor.INLINE_BATCH, ran.size(), "the caller's thread ran a bounded batch: " + ran);
        assertEquals(1, pool.queued.size(), "the rest was handed to the pool");
        pool.runAll();
        List<String> expected = new ArrayList<>(List.of("first"));
        for (int i = 0; i < more; i++) {
            expected.add("queued-" + i);
        }
        assertEquals(expected, ran);
    }
}
