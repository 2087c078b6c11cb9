package dev.quire.store;

import dev.quire.h2.H2Connections;
import dev.quire.h2.H2Errors;
import dev.quire.store.LocalStoreException.Reason;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One profile's H2 database: the lock that keeps every other opener out, one JDBC connection used under a lock,
 * transactions with explicit commits, group commit, and H2's errors turned into {@link LocalStoreException}s.
 *
 * <p><b>Locking</b>: H2 locks its file against other processes, but lets a second connection in the same JVM share
 * an open database, and its error for "open elsewhere" is only an error code. So the store takes its own lock first:
 * an exclusive {@link FileLock} on {@code quire.lock} in the profile directory, held until close. The JDK answers a
 * second lock in the same JVM with {@link OverlappingFileLockException} and one from another process with null;
 * both become {@link Reason#LOCKED}. The operating system drops the lock when the process dies, even by kill -9.
 *
 * <p><b>Durability</b> ({@code WRITE_DELAY=0}): H2 normally writes commits from a background thread up to 500 ms
 * later, so a killed process could lose keystrokes whose append had returned. With a write delay of 0 a commit is
 * written to the file in the calling thread before {@code commit()} returns; what the operating system accepted
 * survives the death of the process (ADR 0004 records the same finding for the server). A crash mid-write leaves an
 * incomplete last chunk that MVStore recognizes by its checksum and ignores: a transaction is stored whole or not at
 * all.
 *
 * <p><b>Group commit</b> ({@link #write}): a commit costs about the same for one keystroke as for ten (MVStore
 * rewrites each changed page up to the root), so writes that arrive while a commit is under way wait for it and then
 * all go into the next transaction, one commit for the lot. Each caller returns only after the commit that holds its
 * write. Nothing waits on purpose: a lone keystroke commits at once.
 */
final class Database implements AutoCloseable {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    static final String LOCK_FILE = "quire.lock";
    static final String DATABASE_FILE = "quire.mv.db";

    private final Path dir;
    private final String url;
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock; null after a failure broke it (reopened at next use). */
    private Connection connection;
    /** Guarded by lock. */
    private boolean closed;
    /** Guarded by lock: commits made, for the group-commit test and to tell a failed commit from a later failure. */
    private long commits;
    /** Writes waiting for the next group commit; its monitor is never held while taking {@link #lock}. */
    private final ArrayDeque<Queued<?>> queue = new ArrayDeque<>();

    private Database(Path dir, String url, FileChannel lockChannel, FileLock fileLock) {
        this.dir = dir;
        this.url = url;
        this.lockChannel = lockChannel;
        this.fileLock = fileLock;
    }

    /**
     * Locks and opens (creating if needed) the database in {@code profileDir}.
     *
     * @param fileSystem   an H2 file system prefix: "file:", or a fault-injecting one in tests
     * @param moreSettings H2 URL settings to add, each starting with ';'
     */
    static Database open(String fileSystem, String moreSettings, Path profileDir) {
        Path absolute = profileDir.toAbsolutePath().normalize();
        if (absolute.toString().contains(";")) {
            throw new IllegalArgumentException("a profile directory must not contain ';' (H2 URL syntax): " + absolute);
        }
        Path dir = prepareDirectory(absolute);
        FileChannel channel;
        FileLock fileLock;
        try {
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new LocalStoreException(classify(e) == Reason.DISK_FULL ? Reason.DISK_FULL : Reason.READ_ONLY,
                    "cannot create the lock file in the profile " + dir + ": " + describe(e)
                            + "; the profile directory must be writable", e);
        }
        try {
            fileLock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            fileLock = null;
        } catch (IOException e) {
            H2Connections.closeQuietly(channel);
            throw new LocalStoreException(Reason.FAILED, "cannot lock the profile " + dir + ": " + describe(e), e);
        }
        if (fileLock == null) {
            H2Connections.closeQuietly(channel);
            throw new LocalStoreException(Reason.LOCKED, "the profile " + dir + " is open in another Quire window or"
                    + " process; close it there, or use another profile");
        }
        // WRITE_DELAY: see the class comment. DB_CLOSE_ON_EXIT=FALSE: the store closes the database itself; H2's
        // shutdown hook could close it under a thread still appending.
        String url = "jdbc:h2:" + fileSystem + dir.resolve("quire") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE"
                + moreSettings;
        Database db = new Database(dir, url, channel, fileLock);
        db.lock.lock();
        try {
            db.connect();
        } catch (RuntimeException e) {
            db.releaseFileLock();
            throw e;
        } finally {
            db.lock.unlock();
        }
        return db;
    }

    /** Creates the directory if needed and checks that it can be written; returns its real path. */
    private static Path prepareDirectory(Path dir) {
        try {
            dir = Files.createDirectories(dir).toRealPath();
        } catch (IOException e) {
            Reason reason = classify(e);
            String why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : describe(e);
            throw new LocalStoreException(reason == Reason.FAILED ? Reason.READ_ONLY : reason,
                    "cannot create the profile directory " + dir + ": " + why + "; choose a writable data folder"
                            + " (--data DIR or QUIRE_HOME)", e);
        }
        Path file = dir.resolve(DATABASE_FILE);
        // H2 opens a database it cannot write read-only without a word; an editor must say so at once instead of
        // failing at the first keystroke.
        if (!Files.isWritable(dir) || (Files.exists(file) && !Files.isWritable(file))) {
            throw new LocalStoreException(Reason.READ_ONLY, "the profile directory " + dir + " is not writable, so"
                    + " no edit could be saved; fix its permissions, or choose another data folder");
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
                throw new LocalStoreException(Reason.READ_ONLY, "the local store in " + dir + " opened read-only,"
                        + " so no edit could be saved; fix the permissions of its files");
            }
            StoreSchema.migrate(c, dir.toString());
            connection = c;
        } catch (SQLException | RuntimeException e) {
            H2Connections.closeQuietly(c);
            throw e instanceof LocalStoreException le ? le : failure("opening the local store in " + dir, e);
        }
    }

    Path directory() {
        return dir;
    }

    /**
     * Runs {@code work} in one transaction and commits it. On any failure up to the commit, the transaction is rolled
     * back and nothing of it is stored; a connection the failure broke (H2 closes the database after a write error)
     * is reopened by the next call, so the store recovers by itself once the cause is gone.
     * {@link LocalStoreException} and {@link IllegalArgumentException} from the work pass through; anything else
     * becomes a {@link LocalStoreException} whose message starts with {@code what}.
     */
    <T> T transaction(String what, Work<T> work) {
        lock.lock();
        try {
            ensureOpen(what);
            try {
                T result = work.run(connection);
                connection.commit();
                commits++;
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackAfter(e);
                if (e instanceof LocalStoreException || e instanceof IllegalArgumentException) {
                    throw (RuntimeException) e;
                }
                throw failure(what, e);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * As {@link #transaction}, but possibly in one transaction with the writes of other threads that arrive while a
     * commit is under way (group commit, see the class comment). Returns after the commit holding it. If a group
     * fails, each of its writes runs again alone, so one write's failure is never another's.
     *
     * <p>The work must touch nothing but the connection: it may run twice (in a group rolled back, then alone).
     */
    <T> T write(String what, Work<T> work) {
        Queued<T> mine = new Queued<>(what, work);
        synchronized (queue) {
            queue.add(mine);
        }
        lock.lock();
        try {
            // still undone: nobody committed it while this thread waited for the lock, so it leads the next group
            if (!mine.done) {
                List<Queued<?>> group;
                synchronized (queue) {
                    group = new ArrayList<>(queue);
                    queue.clear();
                }
                commitGroup(group);
            }
        } finally {
            lock.unlock();
        }
        return mine.outcome();
    }

    /** Holds the lock. */
    private void commitGroup(List<Queued<?>> group) {
        if (group.size() > 1) {
            try {
                transaction("saving " + group.size() + " edits in one transaction", c -> {
                    for (Queued<?> q : group) {
                        q.runInGroup(c);
                    }
                    return null;
                });
                group.forEach(Queued::committed);
                return;
            } catch (RuntimeException rolledBack) {
                // find out whose write failed by running each alone
            }
        }
        for (Queued<?> q : group) {
            q.runAlone(this);
        }
    }

    /** One write waiting for a group commit; its fields are written by the leader under {@link #lock}. */
    private static final class Queued<T> {
        final String what;
        final Work<T> work;
        private T pending;
        private T result;
        private RuntimeException failure;
        boolean done;

        Queued(String what, Work<T> work) {
            this.what = what;
            this.work = work;
        }

        void runInGroup(Connection c) throws SQLException {
            pending = work.run(c);
        }

        void committed() {
            result = pending;
            done = true;
        }

        void runAlone(Database db) {
            try {
                result = db.transaction(what, work);
            } catch (RuntimeException e) {
                failure = e;
            } catch (Error e) {
                failure = new LocalStoreException(Reason.FAILED, what + " failed: " + e, e);
                done = true;
                throw e;
            }
            done = true;
        }

        /** Read by the queueing thread after taking and releasing {@link #lock}, which made these writes visible. */
        T outcome() {
            if (failure != null) {
                throw failure;
            }
            return result;
        }
    }

    /**
     * Rewrites the database file without its dead space ({@code SHUTDOWN COMPACT}, H2's documented way), then opens
     * it again. Every commit writes a new chunk and dead chunks are reused only later, so a file that took many
     * small commits is mostly dead space until this runs.
     */
    void compactFile() {
        lock.lock();
        try {
            ensureOpen("compacting the local store");
            try (Statement st = connection.createStatement()) {
                st.execute("SHUTDOWN COMPACT");
            } catch (SQLException e) {
                rollbackAfter(e);
                throw failure("compacting the local store in " + dir, e);
            } finally {
                H2Connections.closeQuietly(connection);
                connection = null;
            }
            connect();
        } finally {
            lock.unlock();
        }
    }

    /** For tests: transactions committed so far. */
    long commitCount() {
        lock.lock();
        try {
            return commits;
        } finally {
            lock.unlock();
        }
    }

    /** For tests: writes waiting for a group commit. */
    int queuedWrites() {
        synchronized (queue) {
            return queue.size();
        }
    }

    /** For tests: holds the database lock, as a slow commit would, until the returned handle is closed. */
    AutoCloseable holdLock() {
        lock.lock();
        return lock::unlock;
    }

    /** Holds the lock. */
    private void ensureOpen(String what) {
        if (closed) {
            throw new LocalStoreException(Reason.CLOSED, what + " failed: the local store is closed");
        }
        if (connection == null) {
            connect();
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
            if (connection != null) {
                try {
                    connection.close(); // the last connection: H2 closes the database
                } catch (SQLException e) {
                    throw failure("closing the local store in " + dir, e);
                } finally {
                    connection = null;
                    releaseFileLock();
                }
            } else {
                releaseFileLock();
            }
        } finally {
            lock.unlock();
        }
    }

    private void releaseFileLock() {
        try {
            fileLock.release();
        } catch (IOException | RuntimeException ignored) {
            // closing the channel releases it as well
        }
        H2Connections.closeQuietly(lockChannel);
    }

    // ---- errors ----

    private LocalStoreException failure(String what, Exception e) {
        Reason reason = classify(e);
        String hint = switch (reason) {
            case READ_ONLY -> "; the profile directory " + dir + " must be writable (check permissions and mount"
                    + " options)";
            case DISK_FULL -> "; free space on the disk that holds " + dir;
            case LOCKED -> "; another Quire has the profile " + dir + " open: close it there";
            case CORRUPT -> "; the local store in " + dir + " is damaged: move the profile directory aside (unsent"
                    + " edits in it are lost) and sign in again";
            default -> "";
        };
        return new LocalStoreException(reason, what + " failed: " + describe(e) + hint, e);
    }

    /** Why an operation failed (the shared reading of H2's and the file system's errors). */
    static Reason classify(Throwable e) {
        return Reason.valueOf(H2Errors.classify(e).name());
    }

    static String describe(Throwable e) {
        return H2Errors.describe(e);
    }
}
