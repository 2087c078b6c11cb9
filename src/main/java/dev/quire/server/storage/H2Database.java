package dev.quire.server.storage;

import dev.quire.h2.H2Connections;
import dev.quire.server.storage.StorageException.Reason;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded H2 database under a data directory: one JDBC connection, used by one thread at a time, transactions
 * with explicit commits, the durability settings, and errors turned into {@link StorageException}s that say what to
 * do.
 *
 * <p>Durability: H2 (MVStore) normally writes commits out in the background, up to {@code WRITE_DELAY} = 500 ms
 * later, so a {@code kill -9} could lose half a second of acknowledged updates (KillDurabilityTest fails that way).
 * This class sets {@code WRITE_DELAY=0}: each commit then writes its chunk to the file before {@code commit()}
 * returns (with {@code autoCommitDelay == 0}, TransactionStore.endTransaction calls MVStore.commit, which writes in
 * the calling thread), and what the operating system has accepted survives the death of the process. A crash
 * mid-write leaves at most an incomplete last chunk, which MVStore recognizes by its checksum and ignores on the next
 * open: a transaction is either entirely stored or not at all. {@link Durability#POWER_LOSS} also forces the file to
 * the device ({@code CHECKPOINT SYNC}) after every writing transaction.
 *
 * <p>Why not keep H2's background writer and force each commit out with {@code CHECKPOINT}: that thread stores
 * asynchronously (FileStore.storeIt with syncWrite=false, on an executor), and a {@code CHECKPOINT} that finds nothing
 * left unsaved returns before that write is done, so an ack could still precede its write. Without the background
 * thread H2 also stops tidying the file; {@link H2Housekeeping} does that instead, and sets {@code RETENTION_TIME}.
 *
 * <p>One connection rather than a pool: H2 is in-process, every commit is a serialized file write anyway, and the
 * slow part of an append (applying it to the document) happens outside this lock.
 *
 * <p>Updates do not come through here one by one: {@link UpdateJournal} takes them, and {@link JournalFolder} writes
 * them into the database many per transaction, since a commit costs about the same whether it holds one small write
 * or a hundred (MVStore writes every changed B-tree page from leaf to root as a new chunk). Those transactions do not
 * write the file themselves ({@link #journaledTransaction}): the journal holds their updates until the file has them.
 */
final class H2Database implements AutoCloseable {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Data directories open in this JVM. H2 lets a second connection in the same process share an open database
     * (its file lock only keeps other processes out), but two stores over one database would each validate against
     * their own live documents and hand out the same sequence numbers.
     */
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    private final Path dataDir;
    private final String url;
    private final Durability durability;
    /** Called (under the lock) before a broken connection is replaced, to drop state derived from it. */
    private final Runnable onReconnect;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock; null after a failure broke it (reopened on next use) or after close. */
    private Connection connection;
    /** Guarded by lock; belongs to {@link #connection}. */
    private H2Housekeeping housekeeping;
    private volatile boolean closed;
    /** One daemon thread for {@link H2Housekeeping}'s background forces; stopped by {@link #close}. */
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "quire-h2-sync");
        t.setDaemon(true);
        return t;
    });

    private H2Database(Path dataDir, String url, Durability durability, Runnable onReconnect) {
        this.dataDir = dataDir;
        this.url = url;
        this.durability = durability;
        this.onReconnect = onReconnect;
    }

    /**
     * Opens (creating if needed) the database {@code quire.mv.db} in {@code dataDir}.
     *
     * @param fileSystem   an H2 file system prefix: "file:", or a fault-injecting one in tests
     * @param moreSettings H2 URL settings to add, each starting with ';'
     */
    static H2Database open(String fileSystem, String moreSettings, Path dataDir, Durability durability,
                           Runnable onReconnect) {
        Path absolute = dataDir.toAbsolutePath().normalize();
        if (absolute.toString().contains(";")) {
            throw new IllegalArgumentException("the data directory must not contain ';' (H2 URL syntax): " + absolute);
        }
        Path dir = prepareDirectory(absolute);
        if (!OPEN.add(dir)) {
            throw new StorageException(Reason.LOCKED, "the data directory " + dir + " is already open in this process;"
                    + " share one store instead of opening it twice");
        }
        // WRITE_DELAY: see the class comment; RETENTION_TIME: see H2Housekeeping. DB_CLOSE_ON_EXIT=FALSE: the server
        // closes the store after its last write; H2's shutdown hook could otherwise close it under threads still
        // storing.
        String url = "jdbc:h2:" + fileSystem + dir.resolve("quire") + ";WRITE_DELAY=0"
                + H2Housekeeping.retentionSetting(durability) + ";DB_CLOSE_ON_EXIT=FALSE" + moreSettings;
        H2Database db = new H2Database(dir, url, durability, onReconnect);
        db.lock.lock();
        try {
            db.connect();
        } catch (RuntimeException e) {
            OPEN.remove(dir);
            throw e;
        } finally {
            db.lock.unlock();
        }
        return db;
    }

    /** Creates the directory if needed and checks that it is writable; returns its real path. */
    private static Path prepareDirectory(Path dir) {
        try {
            dir = Files.createDirectories(dir).toRealPath();
        } catch (IOException e) {
            Reason reason = StorageErrors.classify(e);
            String why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : StorageErrors.describe(e);
            throw new StorageException(reason == Reason.FAILED ? Reason.READ_ONLY : reason,
                    "cannot create the data directory " + dir + ": " + why + "; create it, or choose a writable one",
                    e);
        }
        Path file = dir.resolve("quire.mv.db");
        // H2 silently opens a database it cannot write as read-only; a server must fail at start instead.
        if (!Files.isWritable(dir) || (Files.exists(file) && !Files.isWritable(file))) {
            throw new StorageException(Reason.READ_ONLY, "the data directory " + dir
                    + " is not writable, so no update could be stored; fix its permissions or mount options,"
                    + " or choose another directory");
        }
        return dir;
    }

    /** Opens the connection and migrates the schema. Holds the lock. */
    private void connect() {
        Connection c = null;
        try {
            c = DriverManager.getConnection(url, "quire", "");
            c.setAutoCommit(false);
            if (c.isReadOnly()) {
                throw new StorageException(Reason.READ_ONLY, "the database in " + dataDir
                        + " opened read-only, so no update could be stored; fix the permissions of its files");
            }
            Schema.migrate(c, dataDir.toString());
            housekeeping = H2Housekeeping.of(c, durability, background);
            connection = c;
        } catch (SQLException | RuntimeException e) {
            H2Connections.closeQuietly(c);
            throw e instanceof StorageException se ? se : failure("opening the database in " + dataDir, e);
        }
    }

    /**
     * Runs {@code work} in one transaction and commits it (explicitly: auto-commit is off). On a failure up to the
     * commit the transaction is rolled back and nothing of it is stored; a connection that the failure broke (H2 closes
     * the database after a write error) is reopened on the next call. If forcing the file fails after the commit
     * (POWER_LOSS), the work is stored but still reported as failed, since it is not as durable as promised; an update
     * retried after that is recognized as already stored.
     *
     * <p>{@link NoSuchDocumentException}, {@link StorageException} and {@link IllegalArgumentException} thrown by the
     * work pass through unchanged; anything else becomes a {@link StorageException} that starts with {@code what}.
     *
     * @param writes whether the work writes (then {@link H2Housekeeping} may force the file before or after it)
     */
    <T> T transaction(String what, boolean writes, Work<T> work) {
        return run(what, writes ? Commit.STORED : Commit.READ, work);
    }

    /**
     * As {@link #transaction}, for writes that the update journal can redo: the commit is not written to the file on
     * its own but with the next stored commit, {@link #store} or {@link #forceToDevice}, whichever comes first (and
     * when unsaved pages pile up, as H2 decides). A crash loses at most the suffix of such commits that no stored
     * commit followed; the journal replays them at the next open, since its segments are deleted only after {@link
     * #forceToDevice}.
     *
     * <p>Why: a stored commit writes every B-tree page it touched, leaf to root, as a new chunk. Folding updates ten
     * times a second under load wrote ten chunks a second, and that writing was the largest part of the server's
     * work per update (bench/README.md, issue 5's rounds).
     */
    <T> T journaledTransaction(String what, Work<T> work) {
        return run(what, Commit.DEFERRED, work);
    }

    /** What a transaction's commit does with the file. */
    private enum Commit {
        /** Nothing to write. */
        READ,
        /** Written before the commit returns (and forced with POWER_LOSS). */
        STORED,
        /** Written later ({@link #journaledTransaction}). */
        DEFERRED
    }

    private <T> T run(String what, Commit commit, Work<T> work) {
        boolean writes = commit != Commit.READ;
        lock.lock();
        try {
            if (closed) {
                throw new StorageException(Reason.CLOSED, what + " failed: the store is closed");
            }
            if (connection == null) {
                onReconnect.run(); // after a broken connection, trust only what the database has
                connect();
            }
            T result;
            try {
                result = work.run(connection);
                if (commit == Commit.DEFERRED) {
                    housekeeping.commitUnstored(connection);
                } else {
                    connection.commit();
                    if (writes) {
                        housekeeping.afterCommit(connection);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                rollbackAfter(e);
                if (e instanceof NoSuchDocumentException || e instanceof StorageException
                        || e instanceof IllegalArgumentException) {
                    throw (RuntimeException) e;
                }
                throw failure(what, e);
            }
            if (writes) {
                try {
                    housekeeping.afterWrite();
                } catch (RuntimeException e) {
                    // The work is committed, so it must not be reported as failed. Whatever broke here (a write
                    // error makes H2 close the database) is met afresh by reopening on the next call.
                    H2Connections.closeQuietly(connection);
                    connection = null;
                }
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    Path dataDir() {
        return dataDir;
    }

    /** Forces everything committed so far to the device ({@code CHECKPOINT SYNC}). */
    void forceToDevice() {
        checkpoint("forcing the database to the device", "CHECKPOINT SYNC");
    }

    /** Writes every commit so far to the file ({@code CHECKPOINT}), without forcing it to the device. */
    void store() {
        checkpoint("writing the database file", "CHECKPOINT");
    }

    private void checkpoint(String what, String statement) {
        transaction(what, false, c -> {
            try (var st = c.createStatement()) {
                st.execute(statement);
            }
            return null;
        });
    }

    /** For tests: moves by one each time commits are written to the file. */
    long storedVersion() {
        lock.lock();
        try {
            return housekeeping.storedVersion();
        } finally {
            lock.unlock();
        }
    }

    /** Rolls back after a failure; forgets the connection if the failure broke it. Holds the lock. */
    private void rollbackAfter(Exception failure) {
        if (!H2Connections.rollbackAfter(connection, failure)) {
            connection = null;
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            background.shutdown(); // a force under way may finish; the close below writes and closes the file
            OPEN.remove(dataDir);
            if (connection != null) {
                try {
                    connection.close(); // the last connection: H2 closes the database (DB_CLOSE_DELAY=0)
                } catch (SQLException e) {
                    throw failure("closing the database in " + dataDir, e);
                } finally {
                    connection = null;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- errors ----

    private StorageException failure(String what, Exception e) {
        return StorageErrors.failure(dataDir, what, e);
    }
}
