package dev.quire.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What H2's background writer would do, done on the store's own thread, because {@code WRITE_DELAY=0} (see {@link
 * H2Database}) means that thread never starts. Without it the file grew by 8-30 KB per stored update, forever:
 * each commit writes a new MVStore chunk, and chunks that keep a single live page are never rewritten.
 *
 * <ul>
 *   <li><b>Rewriting sparse chunks</b>: every {@link #EVERY} writing transactions, {@code MVStore.compact} moves the
 *       live pages out of mostly dead chunks (as {@code FileStore.doHousekeeping} does); the pages go out with the
 *       next commit.
 *   <li><b>When dead space may be reused</b> ({@code RETENTION_TIME}): H2 overwrites a dead chunk only once it is
 *       older than this, assuming that by then everything written before it is on the device (H2's SET
 *       RETENTION_TIME: "It is assumed that a file system and hard disk will flush all write buffers within this
 *       time ... To manually flush the buffers, use CHECKPOINT SYNC"). Its default, 45 s, leaves the file carrying 45
 *       seconds of commits as dead space (measured: 735 MB after 20,000 one-character updates in 6 s). So the
 *       store makes the assumption true itself and keeps the window short: with {@link Durability#PROCESS_CRASH}
 *       a commit made when the last force is over {@link #SYNC_INTERVAL_NANOS} old starts a force of the file on a
 *       background thread, and dead chunks are retained {@link #PROCESS_CRASH_RETENTION_MS}; with {@link
 *       Durability#POWER_LOSS} every commit is forced anyway, so space is reused at once (retention 0).
 * </ul>
 *
 * <p>Why in the background: a force is a device flush, and on a busy machine one took 20-700 ms (JFR FileForce
 * events under the sync load benchmark). Done under the database lock, as at first, it stalled every document's
 * commits, and so every acknowledgement and relay, once a second: the benchmark's p99 latency was that stall.
 * PROCESS_CRASH acknowledges what the operating system has accepted, so a commit need not wait for the device; the
 * force only bounds what a power loss can take, and it flushes whatever was written before it started, whichever
 * thread wrote it ({@code MVStore.sync} is {@code FileChannel.force} on the store's channel, taking no H2 lock).
 *
 * <p>This reaches past JDBC into H2's engine (public classes, not a documented API), which is why it lives here
 * alone; H2 is pinned in pom.xml, and a version that changes these classes fails at open, not silently.
 */
final class H2Housekeeping {
    private static final Logger log = LoggerFactory.getLogger(H2Housekeeping.class);
    /** Writing transactions between two rewrites; small enough that one rewrite stays short (see WRITE_BUDGET). */
    static final int EVERY = 64;
    /** Rewrite chunks while their live data is below this share of their size (H2's autoCompactFillRate is 90). */
    private static final int TARGET_FILL_RATE = 80;
    /** At most this many bytes rewritten at a time, so no single append waits long for it. */
    private static final int WRITE_BUDGET = 256 * 1024;
    /** With PROCESS_CRASH: writes are forced to the device at most this long after they were made, if more follow. */
    static final long SYNC_INTERVAL_NANOS = 1_000_000_000L;
    /** With PROCESS_CRASH: well above SYNC_INTERVAL_NANOS, so a reused chunk's successors are on the device. */
    static final int PROCESS_CRASH_RETENTION_MS = 5_000;

    private final MVStore store;
    private final Durability durability;
    /** Runs the PROCESS_CRASH forces, one at a time. */
    private final Executor background;
    private final LongSupplier nanoTime;
    private int writesSinceCompact;
    /** When the last force started (what was written before it is on the device); written by the force. */
    private volatile long lastSync;
    private final AtomicBoolean syncing = new AtomicBoolean();

    private H2Housekeeping(MVStore store, Durability durability, Executor background, LongSupplier nanoTime) {
        this.store = store;
        this.durability = durability;
        this.background = background;
        this.nanoTime = nanoTime;
        this.lastSync = nanoTime.getAsLong();
    }

    /** H2 URL setting for the durability (persistent in the file, so always given). */
    static String retentionSetting(Durability durability) {
        return ";RETENTION_TIME=" + (durability == Durability.POWER_LOSS ? 0 : PROCESS_CRASH_RETENTION_MS);
    }

    /** Finds the MVStore under a connection; fails clearly if this H2 is not the one this class was written for. */
    static H2Housekeeping of(Connection connection, Durability durability, Executor background) throws SQLException {
        return of(connection, durability, background, System::nanoTime);
    }

    /** As above, with the time source of the force interval (tests). */
    static H2Housekeeping of(Connection connection, Durability durability, Executor background, LongSupplier nanoTime)
            throws SQLException {
        try {
            SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
            return new H2Housekeeping(session.getDatabase().getStore().getMvStore(), durability, background,
                    nanoTime);
        } catch (ClassCastException | LinkageError e) {
            throw new IllegalStateException("this H2 version is not supported by H2Housekeeping (written for H2 2.5):"
                    + " " + e, e);
        }
    }

    /** After a writing transaction committed, with the connection's lock held. */
    void afterCommit(Connection connection) throws SQLException {
        if (durability == Durability.POWER_LOSS) {
            sync(connection);
            return;
        }
        if (nanoTime.getAsLong() - lastSync >= SYNC_INTERVAL_NANOS && syncing.compareAndSet(false, true)) {
            try {
                background.execute(this::forceInBackground);
            } catch (RejectedExecutionException e) {
                syncing.set(false); // closing: the store's close writes and closes the file
            }
        }
    }

    /**
     * Commits without writing the file: MVStore writes a chunk at a transaction's end only while its auto-commit
     * delay is 0 (TransactionStore.endTransaction). -1 keeps that write back, and starts no background writer either
     * (MVStore.close sets -1 for the same reason). Restored at once, so every other commit is written as before.
     * Held under the database's lock, which is the only way into this store.
     */
    void commitUnstored(Connection connection) throws SQLException {
        store.setAutoCommitDelay(-1);
        try {
            connection.commit();
        } finally {
            store.setAutoCommitDelay(0);
        }
    }

    /** For tests: MVStore's version, which moves by one each time the file is written. */
    long storedVersion() {
        return store.getCurrentVersion();
    }

    /** PROCESS_CRASH's periodic force, off the commit path; a failure is logged, the next commit tries again. */
    private void forceInBackground() {
        try {
            long started = nanoTime.getAsLong(); // what was written before this is on the device afterwards
            store.sync();
            lastSync = started;
        } catch (RuntimeException e) {
            if (!store.isClosed()) {
                log.atWarn().setCause(e).log("could not force the database file to the device; retrying");
            }
        } finally {
            syncing.set(false);
        }
    }

    /** After a writing transaction is complete (committed and, as required, forced); may throw if the store broke. */
    void afterWrite() {
        if (++writesSinceCompact >= EVERY) {
            writesSinceCompact = 0;
            store.compact(TARGET_FILL_RATE, WRITE_BUDGET);
        }
    }

    private void sync(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("CHECKPOINT SYNC");
        }
    }
}
