package dev.quire.server.storage;

import dev.quire.server.storage.UpdateJournal.Entry;
import dev.quire.server.storage.UpdateJournal.Journaled;
import dev.quire.server.storage.UpdateJournal.Position;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores updates in the {@link UpdateJournal} as they come, and copies them into their documents' logs ({@link
 * DocumentLogs}) in the background, many at a time; each document's last update time goes into the database once a
 * second.
 *
 * <p>Readers of the logs (history, attribution, a document's rebuild, compaction, deletion) first call {@link
 * #flush}, which folds everything journaled so far in the calling thread: so a log is never seen behind the journal,
 * and nobody waits for the background. Folding is idempotent (an entry whose seq the log has already is skipped),
 * which is what lets recovery simply fold every segment left by the last run.
 *
 * <p>A journal segment is deleted only once every entry in it is in the logs, the logs are forced to the device, and
 * the database (with the update times) is too.
 *
 * <p>Locks: {@link #queue}'s monitor is held for a journal write and its enqueueing together, so every written entry
 * is queued, in the journal's order; {@link #foldLock} is held by whoever folds, and only it removes entries from
 * the queue, after they are in their logs. The database's own lock is taken inside the fold lock. Writers hold their
 * document's lock (H2DocumentStore) while they journal, and readers while they flush; folding never takes a
 * document's lock, so none of them can deadlock with the background.
 */
final class JournalFolder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JournalFolder.class);

    /** How long the background lets a batch gather once an entry waits. */
    static final long GATHER_MILLIS = 100;
    /** Folded at once, without waiting for {@link #GATHER_MILLIS}, once this many entries wait. */
    static final int BATCH = 512;
    /** Writers fold in their own thread once this many entries wait, so memory stays bounded if folding falls behind. */
    static final int MAX_QUEUED = 8 * BATCH;
    /** With PROCESS_CRASH, the journal is forced to the device at most this long after a write (as H2Housekeeping). */
    static final long SYNC_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * Documents' update times are written to the database at most this long after their updates (in one transaction
     * for all of them), and that transaction is written to the file with the next one due after it.
     */
    static final long STORE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** After a failed background fold, wait this long before trying again. */
    private static final long RETRY_MILLIS = 1000;

    private record Queued(Entry entry, byte[] record, long segment) {
    }

    private final UpdateJournal journal;
    private final DocumentLogs logs;
    private final H2Database db;
    private final Durability durability;
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private final ReentrantLock foldLock = new ReentrantLock();
    private final Thread background;
    private volatile boolean closed;
    private long folds;

    JournalFolder(UpdateJournal journal, DocumentLogs logs, H2Database db, Durability durability) {
        this.journal = journal;
        this.logs = logs;
        this.db = db;
        this.durability = durability;
        this.retiredBefore = journal.currentSegment() - 1;
        this.background = new Thread(this::run, "quire-journal-fold");
        background.setDaemon(true);
        background.start();
    }

    /**
     * Recovery: folds what a segment left by the last run holds (most of it usually folded already). Entries of
     * documents deleted since are dropped.
     */
    static void replay(H2Database db, DocumentLogs logs, List<Journaled> entries) {
        Map<String, Boolean> exists = new HashMap<>();
        Map<String, Instant> times = new HashMap<>();
        for (Journaled j : entries) {
            Entry e = j.entry();
            boolean live = exists.computeIfAbsent(e.docId(), id -> db.transaction("replaying the update journal",
                    false, c -> H2DocumentStore.documentExists(c, id)));
            if (live) {
                logs.append(e, j.record());
                noteTime(times, e);
            }
        }
        writeTimes(db, times);
    }

    /**
     * Journals an update and returns once it is as durable as the store promises; its log gets it later. On failure
     * nothing of it is journaled (and it will never reach the log).
     */
    void append(Entry entry) {
        if (queuedCount() >= MAX_QUEUED) {
            flush(); // folding fell behind: fold here rather than queue without bound
        }
        byte[] record = UpdateRecord.encode(entry);
        Position at;
        synchronized (queue) {
            at = journal.append(entry, record);
            queue.add(new Queued(entry, record, at.segment()));
            if (queue.size() == 1 || queue.size() == BATCH) {
                queue.notifyAll();
            }
        }
        if (durability == Durability.POWER_LOSS) {
            journal.awaitDurable(at);
        }
    }

    /**
     * Folds everything journaled so far into the logs, and the documents' update times into the database, in this
     * thread; then both are up to date.
     */
    void flush() {
        foldLock.lock();
        try {
            foldQueued();
            writeTimes();
        } finally {
            foldLock.unlock();
        }
    }

    private int queuedCount() {
        synchronized (queue) {
            return queue.size();
        }
    }

    /** Guarded by foldLock: the latest update time of each document folded since the times were last written. */
    private final Map<String, Instant> unwrittenTimes = new HashMap<>();
    private long timesWrittenAt = System.nanoTime();

    /** Guarded by foldLock: whether commits wait to be written to the file, and when it was last written. */
    private boolean unstored;
    private long storedAt = System.nanoTime();

    /** Guarded by foldLock: the segments up to this one are deleted (or never existed). */
    private long retiredBefore;

    /** Holds foldLock. */
    private void foldQueued() {
        while (true) {
            List<Queued> batch = new ArrayList<>();
            synchronized (queue) {
                for (Queued q : queue) {
                    batch.add(q);
                    if (batch.size() == BATCH) {
                        break;
                    }
                }
            }
            if (batch.isEmpty()) {
                return;
            }
            for (Queued q : batch) {
                // Failing part-way is fine: a retry skips what its log has already.
                logs.append(q.entry(), q.record());
                noteTime(unwrittenTimes, q.entry());
            }
            folds++;
            long oldestNeeded;
            synchronized (queue) {
                for (int i = 0; i < batch.size(); i++) {
                    queue.removeFirst();
                }
                oldestNeeded = queue.isEmpty() ? journal.currentSegment() : queue.peekFirst().segment();
            }
            retireSegmentsBefore(oldestNeeded);
        }
    }

    /** Keeps the latest update time of each document. */
    private static void noteTime(Map<String, Instant> times, Entry e) {
        times.merge(e.docId(), e.serverTime(), (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Holds foldLock. Writes the update times folded so far into the database (the journal can redo them). */
    private void writeTimes() {
        if (!unwrittenTimes.isEmpty()) {
            writeTimes(db, unwrittenTimes);
            unwrittenTimes.clear();
            unstored = true;
        }
        timesWrittenAt = System.nanoTime();
    }

    private static void writeTimes(H2Database db, Map<String, Instant> times) {
        if (times.isEmpty()) {
            return;
        }
        db.journaledTransaction("noting the update times of " + times.size() + " documents", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE documents SET updated_at = ? WHERE id = ? AND updated_at < ?")) {
                for (Map.Entry<String, Instant> t : times.entrySet()) {
                    ps.setObject(1, H2DocumentStore.utc(t.getValue()));
                    ps.setString(2, t.getKey());
                    ps.setObject(3, H2DocumentStore.utc(t.getValue()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /**
     * Deletes journal segments whose every entry is in the logs, once the logs and the database are on the device.
     * Holds foldLock.
     */
    private void retireSegmentsBefore(long segment) {
        if (segment <= retiredBefore + 1) {
            return; // nothing new to retire: the segment before `segment` is gone already (or there is none)
        }
        logs.force();
        writeTimes();
        db.forceToDevice();
        unstored = false;
        storedAt = System.nanoTime();
        journal.deleteBefore(segment);
        retiredBefore = segment - 1;
    }

    // ---- the background ----

    private void run() {
        while (!closed) {
            try {
                awaitBatch();
                if (closed) {
                    return;
                }
                foldAndWriteTimesIfDue();
                storeIfDue();
                if (durability == Durability.PROCESS_CRASH) {
                    journal.forceIfOlderThan(SYNC_INTERVAL_NANOS);
                }
            } catch (InterruptedException e) {
                return; // closing
            } catch (RuntimeException e) {
                // The entries stay journaled and queued; readers that flush see this error themselves meanwhile.
                log.error("event=journal_fold_failed error=\"{}\" retry_in_ms={}", e.getMessage(), RETRY_MILLIS);
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** Folds what is queued; writes the update times once {@link #STORE_INTERVAL_NANOS} passed since the last. */
    private void foldAndWriteTimesIfDue() {
        foldLock.lock();
        try {
            foldQueued();
            if (System.nanoTime() - timesWrittenAt >= STORE_INTERVAL_NANOS) {
                writeTimes();
            }
        } finally {
            foldLock.unlock();
        }
    }

    /** Writes the update times committed since the last write to the file, {@link #STORE_INTERVAL_NANOS} after it. */
    private void storeIfDue() {
        foldLock.lock();
        try {
            long now = System.nanoTime();
            if (unstored && now - storedAt >= STORE_INTERVAL_NANOS) {
                db.store();
                unstored = false;
                storedAt = now;
            }
        } finally {
            foldLock.unlock();
        }
    }

    /** Waits until an entry has waited {@link #GATHER_MILLIS}, or a full batch waits, or a force is due. */
    private void awaitBatch() throws InterruptedException {
        synchronized (queue) {
            long idleDeadline = System.nanoTime() + SYNC_INTERVAL_NANOS;
            while (queue.isEmpty() && !closed) {
                long left = idleDeadline - System.nanoTime();
                if (left <= 0) {
                    return; // idle: still give the periodic force its turn
                }
                TimeUnit.NANOSECONDS.timedWait(queue, left);
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GATHER_MILLIS);
            while (queue.size() < BATCH && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(queue, left);
            }
        }
    }

    /** For tests: batches of entries folded into the logs. */
    long foldCount() {
        foldLock.lock();
        try {
            return folds;
        } finally {
            foldLock.unlock();
        }
    }

    /** Stops the background and folds what is left (the journal keeps it anyway, should that fail). */
    @Override
    public void close() {
        closed = true;
        synchronized (queue) {
            queue.notifyAll();
        }
        try {
            background.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            flush();
        } finally {
            try {
                logs.close();
            } finally {
                journal.close();
            }
        }
    }
}
