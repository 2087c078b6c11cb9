package dev.quire.session;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay: the session's timers (proactive refresh, retry backoff). Injected so that tests drive
 * time by hand and never sleep; in the app it is {@link #of(ScheduledExecutorService)}.
 *
 * <p>A timer may fire late (a laptop asleep, a busy machine), which is why the session also checks the clock on every
 * {@link Session#accessToken()} instead of trusting its timers.
 */
public interface Scheduler {

    /** A scheduled task that can still be called off. */
    interface Timer {
        /** Calls the task off if it has not started; harmless when it has run or was cancelled. */
        void cancel();
    }

    /** Runs {@code task} once, {@code delay} from now (zero or negative: as soon as possible), on any thread. */
    Timer schedule(Runnable task, Duration delay);

    /** A scheduler on a real executor (delays measured on its monotonic clock). The executor stays the caller's. */
    static Scheduler of(ScheduledExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        return (task, delay) -> {
            ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        };
    }
}
