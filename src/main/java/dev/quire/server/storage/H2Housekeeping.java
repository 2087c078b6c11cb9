package dev.quire.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

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
 *       store makes the assumption true itself and keeps the window short: with {@link Durability#PROCESS_CRASH} it
 *       forces the file ({@code CHECKPOINT SYNC}) before a write whenever the last force is over {@link
 *       #SYNC_INTERVAL_NANOS} old, and retains dead chunks {@link #PROCESS_CRASH_RETENTION_MS}; with {@link
 *       Durability#POWER_LOSS} every commit is forced anyway, so space is reused at once (retention 0).
 * </ul>
 *
 * <p>This reaches past JDBC into H2's engine (public classes, not a documented API), which is why it lives here
 * alone; H2 is pinned in pom.xml, and a version that changes these classes fails at open, not silently.
 */
final class H2Housekeeping {
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
    private int writesSinceCompact;
    private long lastSync = System.nanoTime();
    private boolean unsynced;

    private H2Housekeeping(MVStore store, Durability durability) {
        this.store = store;
        this.durability = durability;
    }

    /** H2 URL setting for the durability (persistent in the file, so always given). */
    static String retentionSetting(Durability durability) {
        return ";RETENTION_TIME=" + (durability == Durability.POWER_LOSS ? 0 : PROCESS_CRASH_RETENTION_MS);
    }

    /** Finds the MVStore under a connection; fails clearly if this H2 is not the one this class was written for. */
    static H2Housekeeping of(Connection connection, Durability durability) throws SQLException {
        try {
            SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
            return new H2Housekeeping(session.getDatabase().getStore().getMvStore(), durability);
        } catch (ClassCastException | LinkageError e) {
            throw new IllegalStateException("this H2 version is not supported by H2Housekeeping (written for H2 2.5):"
                    + " " + e, e);
        }
    }

    /** Before a writing transaction, with no transaction open on the connection and its lock held. */
    void beforeWrite(Connection connection) throws SQLException {
        if (durability == Durability.PROCESS_CRASH && unsynced && System.nanoTime() - lastSync >= SYNC_INTERVAL_NANOS) {
            sync(connection);
        }
    }

    /** After a writing transaction committed, with the connection's lock held. */
    void afterCommit(Connection connection) throws SQLException {
        unsynced = true;
        if (durability == Durability.POWER_LOSS) {
            sync(connection);
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
        long started = System.nanoTime(); // what was written before this is on the device afterwards
        try (Statement st = connection.createStatement()) {
            st.execute("CHECKPOINT SYNC");
        }
        lastSync = started;
        unsynced = false;
    }
}
