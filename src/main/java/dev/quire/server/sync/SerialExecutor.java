package dev.quire.server.sync;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: a document's work (commit, broadcast, ack) never
 * overlaps or reorders, while different documents run in parallel and no thread is owned by an idle document. After
 * {@link #BATCH} tasks it hands its thread back to the pool, so a busy document cannot starve the others.
 */
final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
    static final int BATCH = 64;
    /** How many tasks {@link #runHereOrQueue} runs in its caller's thread before handing the rest to the pool. */
    static final int INLINE_BATCH = 4;

    private final Executor pool;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean scheduled;

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            tasks.add(task);
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        schedule();
    }

    private void schedule() {
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (this) { // shutting down: nothing will run these any more
                tasks.clear();
                scheduled = false;
            }
        }
    }

    /**
     * Runs {@code task} in the calling thread if the document is idle, or queues it behind the work under way. Used
     * for incoming frames: the socket's reader thread then does the document's work itself, instead of waking a pool
     * thread for it, which on a loaded machine waits for a core (most of the latency tail under the load benchmark).
     * Tasks queued meanwhile follow in this thread, up to {@link #INLINE_BATCH}; the rest go to the pool, so one busy
     * document cannot hold a reader thread (and the other connections it reads for) for long.
     */
    void runHereOrQueue(Runnable task) {
        synchronized (this) {
            tasks.add(task);
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        drain(INLINE_BATCH);
    }

    private void drain() {
        drain(BATCH);
    }

    private void drain(int max) {
        for (int i = 0; i < max; i++) {
            Runnable task;
            synchronized (this) {
                task = tasks.poll();
                if (task == null) {
                    scheduled = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                // one failed task must not stop the document's queue
                log.atError().setCause(e).log("document task failed");
            }
        }
        schedule();
    }
}
