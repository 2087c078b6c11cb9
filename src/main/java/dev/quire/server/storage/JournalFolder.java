package dev.quire.server.storage;

import dev.quire.server.storage.StorageException.Reason;
import dev.quire.server.storage.UpdateJournal.Entry;
import dev.quire.server.storage.UpdateJournal.Position;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores updates in the {@link UpdateJournal} as they come, and folds them into the database in the background, many
 * per transaction.
 *
 * <p>Readers of what the database holds about updates (history, attribution, a document's rebuild, compaction,
 * deletion) first call {@link #flush}, which folds everything journaled so far in the calling thread: so the
 * database is never seen behind the journal, and nobody waits for the background. Folding is idempotent (an entry
 * whose seq the document already has is skipped; one for a deleted document is dropped), which is what lets
 * recovery simply fold every segment left by the last run.
 *
 * <p>Locks: {@link #queue}'s monitor is held for a journal write and its enqueueing together, so every written entry
 * is queued, in the journal's order; {@link #foldLock} is held by whoever folds, and only it removes entries from
 * the queue, after their transaction committed. The database's own lock is taken inside the fold lock. Writers hold
 * their document's lock (H2DocumentStore) while they journal, and readers while they flush; folding never takes a
 * document's lock, so none of them can deadlock with the background.
 */
final class JournalFolder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JournalFolder.class);

    /** How long the background lets a batch gather once an entry waits (a fold costs about the same for 1 or 100). */
    static final long GATHER_MILLIS = 100;
    /** Folded at once, without waiting for {@link #GATHER_MILLIS}, once this many entries wait. */
    static final int BATCH = 512;
    /** Writers fold in their own thread once this many entries wait, so memory stays bounded if folding falls behind. */
    static final int MAX_QUEUED = 8 * BATCH;
    /** With PROCESS_CRASH, the journal is forced to the device at most this long after a write (as H2Housekeeping). */
    static final long SYNC_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * Folds are committed without writing the file ({@link H2Database#journaledTransaction}); the background writes
     * them out at most this long after, so that a restart replays little and unsaved pages do not pile up in memory.
     */
    static final long STORE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** After a failed background fold, wait this long before trying again. */
    private static final long RETRY_MILLIS = 1000;

    private record Queued(Entry entry, long segment) {
    }

    private final UpdateJournal journal;
    private final H2Database db;
    private final Durability durability;
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private final ReentrantLock foldLock = new ReentrantLock();
    private final Thread background;
    private volatile boolean closed;
    private long folds;

    JournalFolder(UpdateJournal journal, H2Database db, Durability durability) {
        this.journal = journal;
        this.db = db;
        this.durability = durability;
        this.retiredBefore = journal.currentSegment() - 1;
        this.background = new Thread(this::run, "quire-journal-fold");
        background.setDaemon(true);
        background.start();
    }

    /** Recovery: folds what a segment left by the last run holds (most of it usually folded already). */
    static void replay(H2Database db, List<Entry> entries) {
        for (int i = 0; i < entries.size(); i += BATCH) {
            List<Entry> batch = entries.subList(i, Math.min(entries.size(), i + BATCH));
            db.journaledTransaction("replaying " + batch.size() + " journaled updates", c -> {
                fold(c, batch);
                return null;
            });
        }
    }

    /**
     * Journals an update and returns once it is as durable as the store promises; the database gets it later. On
     * failure nothing of it is journaled (and it will never reach the database).
     */
    void append(Entry entry) {
        if (queuedCount() >= MAX_QUEUED) {
            flush(); // folding fell behind: fold here rather than queue without bound
        }
        Position at;
        synchronized (queue) {
            at = journal.append(entry);
            queue.add(new Queued(entry, at.segment()));
            if (queue.size() == 1 || queue.size() == BATCH) {
                queue.notifyAll();
            }
        }
        if (durability == Durability.POWER_LOSS) {
            journal.awaitDurable(at);
        }
    }

    /** Folds everything journaled so far into the database, in this thread; then the database is up to date. */
    void flush() {
        foldLock.lock();
        try {
            foldQueued();
        } finally {
            foldLock.unlock();
        }
    }

    private int queuedCount() {
        synchronized (queue) {
            return queue.size();
        }
    }

    /** Holds foldLock. */
    private void foldQueued() {
        while (true) {
            List<Entry> batch = new ArrayList<>();
            synchronized (queue) {
                for (Queued q : queue) {
                    batch.add(q.entry());
                    if (batch.size() == BATCH) {
                        break;
                    }
                }
            }
            if (batch.isEmpty()) {
                return;
            }
            db.journaledTransaction("storing " + batch.size() + " journaled updates in the database", c -> {
                fold(c, batch);
                return null;
            });
            folds++;
            unstored = true;
            unindexed += batch.size();
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

    /** Guarded by foldLock: folded updates not yet in the clock index, and since when (System.nanoTime). */
    private int unindexed;
    private long unindexedSince = System.nanoTime();

    /** Guarded by foldLock: whether commits wait to be written to the file, and when it was last written. */
    private boolean unstored;
    private long storedAt = System.nanoTime();

    /** Guarded by foldLock: the segments up to this one are deleted (or never existed). */
    private long retiredBefore;

    /** Deletes journal segments whose every entry is in the database, once the database is on the device. */
    private void retireSegmentsBefore(long segment) {
        if (segment <= retiredBefore + 1) {
            return; // nothing new to retire: the segment before `segment` is gone already (or there is none)
        }
        db.forceToDevice();
        journal.deleteBefore(segment);
        retiredBefore = segment - 1;
    }

    /** Writes a batch of entries (in journal order) into the database's updates, clocks and client bindings. */
    private static void fold(Connection c, List<Entry> batch) throws SQLException {
        Map<String, Long> lastSeq = new HashMap<>();
        Map<String, Instant> lastTime = new LinkedHashMap<>();
        try (PreparedStatement seqOf = c.prepareStatement("SELECT last_seq FROM documents WHERE id = ?");
             PreparedStatement updates = c.prepareStatement("INSERT INTO updates (doc_id, seq, user_id,"
                     + " connection_id, server_time, byte_length, body, clocks) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement bindings = c.prepareStatement(
                     "INSERT INTO client_ids (doc_id, client_id, user_id) VALUES (?, ?, ?)")) {
            for (Entry e : batch) {
                if (!lastSeq.containsKey(e.docId())) {
                    seqOf.setString(1, e.docId());
                    try (ResultSet rs = seqOf.executeQuery()) {
                        lastSeq.put(e.docId(), rs.next() ? rs.getLong(1) : null);
                    }
                }
                Long last = lastSeq.get(e.docId());
                if (last == null || e.seq() <= last) {
                    continue; // the document was deleted since, or the entry was folded before (recovery)
                }
                if (e.seq() != last + 1) {
                    throw new StorageException(Reason.CORRUPT, "the update journal has update " + e.seq()
                            + " of document " + e.docId() + " but the database stops at " + last
                            + "; restore the data directory from a backup");
                }
                lastSeq.put(e.docId(), e.seq());
                lastTime.put(e.docId(), e.serverTime());
                addUpdate(updates, bindings, e);
            }
            updates.executeBatch();
            bindings.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE documents SET last_seq = ?, updated_at = ? WHERE id = ?")) {
            for (Map.Entry<String, Instant> d : lastTime.entrySet()) {
                ps.setLong(1, lastSeq.get(d.getKey()));
                ps.setObject(2, H2DocumentStore.utc(d.getValue()));
                ps.setString(3, d.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void addUpdate(PreparedStatement updates, PreparedStatement bindings, Entry e)
            throws SQLException {
        updates.setString(1, e.docId());
        updates.setLong(2, e.seq());
        updates.setString(3, e.userId());
        updates.setString(4, e.connectionId());
        updates.setObject(5, H2DocumentStore.utc(e.serverTime()));
        updates.setInt(6, e.update().length);
        updates.setBytes(7, e.update());
        updates.setBytes(8, ClockIndex.encode(e.added())); // indexed by client later, in bulk (ClockIndex)
        updates.addBatch();
        for (long client : e.boundClients()) {
            bindings.setString(1, e.docId());
            bindings.setLong(2, client);
            bindings.setString(3, e.userId());
            bindings.addBatch();
        }
    }

    // ---- the background ----

    private void run() {
        while (!closed) {
            try {
                awaitBatch();
                if (closed) {
                    return;
                }
                flush();
                indexIfDue();
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

    /** Fills the clock index from the folded updates once enough wait, or they waited long enough. */
    private void indexIfDue() {
        foldLock.lock();
        try {
            if (unindexed == 0) {
                unindexedSince = System.nanoTime();
                return;
            }
            if (unindexed < ClockIndex.BACKLOG && System.nanoTime() - unindexedSince < ClockIndex.MAX_DELAY_NANOS) {
                return;
            }
            db.journaledTransaction("indexing the clocks of " + unindexed + " updates", ClockIndex::indexAll);
            unstored = true;
            unindexed = 0;
            unindexedSince = System.nanoTime();
        } finally {
            foldLock.unlock();
        }
    }

    /** Writes the folds committed since the last write to the file, once {@link #STORE_INTERVAL_NANOS} passed. */
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

    /** For tests: database transactions that folded entries. */
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
            journal.close();
        }
    }
}
