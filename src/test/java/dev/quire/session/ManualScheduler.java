package dev.quire.session;

import dev.quire.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link Scheduler} on a {@link TestClock}: tasks run only when the test {@link #advance advances} time, on the
 * test's thread, in due order. Remembers every delay it was asked for, so backoff can be checked.
 */
final class ManualScheduler implements Scheduler {
    private final TestClock clock;
    private final List<Task> tasks = new ArrayList<>();
    private final List<Duration> requested = new ArrayList<>();
    private long seq;

    private final class Task implements Timer {
        final Instant due;
        final long order;
        final Runnable body;
        boolean cancelled;

        Task(Instant due, long order, Runnable body) {
            this.due = due;
            this.order = order;
            this.body = body;
        }

        @Override
        public void cancel() {
            synchronized (ManualScheduler.this) {
                cancelled = true;
                tasks.remove(this);
            }
        }
    }

    ManualScheduler(TestClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Timer schedule(Runnable task, Duration delay) {
        requested.add(delay);
        Task t = new Task(clock.instant().plus(delay.isNegative() ? Duration.ZERO : delay), seq++, task);
        tasks.add(t);
        return t;
    }

    /** Moves the clock by {@code d}, running each task when its time comes. */
    void advance(Duration d) {
        Instant end = clock.instant().plus(d);
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> !t.due.isAfter(end))
                        .min(Comparator.<Task, Instant>comparing(t -> t.due).thenComparingLong(t -> t.order))
                        .orElse(null);
                if (next == null) {
                    break;
                }
                tasks.remove(next);
            }
            if (next.due.isAfter(clock.instant())) {
                clock.set(next.due);
            }
            next.body.run();
        }
        clock.set(end);
    }

    /** When the earliest pending task is due, or null. */
    synchronized Instant nextDue() {
        return tasks.stream().map(t -> t.due).min(Comparator.naturalOrder()).orElse(null);
    }

    synchronized int pending() {
        return tasks.size();
    }

    /** Every delay asked for so far, in order. */
    synchronized List<Duration> requested() {
        return List.copyOf(requested);
    }
}
