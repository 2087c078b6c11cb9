package dev.quire.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/** What all clients of one run share: edits not yet everywhere, errors, and a place to wait for the drain. */
final class Tracker {
    private static final int MAX_ERRORS = 20;

    private final AtomicLong undelivered = new AtomicLong();
    private final List<String> errors = new ArrayList<>();
    private int moreErrors;

    void editMade() {
        undelivered.incrementAndGet();
    }

    void editDelivered() {
        if (undelivered.decrementAndGet() == 0) {
            signal();
        }
    }

    long undelivered() {
        return undelivered.get();
    }

    /** Something others may be waiting for has happened (an edit delivered, an ack). */
    synchronized void signal() {
        notifyAll();
    }

    /** Records a failure; messages must never hold a token (they are printed). */
    synchronized void error(String message) {
        if (errors.size() < MAX_ERRORS) {
            errors.add(message);
        } else {
            moreErrors++;
        }
        notifyAll();
    }

    synchronized List<String> errors() {
        List<String> all = new ArrayList<>(errors);
        if (moreErrors > 0) {
            all.add("... and " + moreErrors + " more");
        }
        return all;
    }

    /** Waits until {@code done} holds (checked after every signal) or the deadline passes; true if done. */
    synchronized boolean await(BooleanSupplier done, long deadlineNanos) throws InterruptedException {
        while (!done.getAsBoolean()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            // the timed wait also re-checks conditions nobody signals (a client that acks is one signal per ack)
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
        }
        return true;
    }
}
