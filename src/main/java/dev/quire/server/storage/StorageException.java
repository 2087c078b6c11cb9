package dev.quire.server.storage;

/**
 * Storage failed: nothing of the operation was stored. The message says what failed, for which document, and what an
 * operator can do; {@link #reason()} lets the server choose a status code or a metric label.
 */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why storage failed. */
    public enum Reason {
        /** The data directory or database file cannot be written (permissions, a read-only mount). */
        READ_ONLY,
        /** The disk is full. */
        DISK_FULL,
        /** Another process (another server?) has the database open. */
        LOCKED,
        /** The stored data cannot be read back: a damaged file, or one written by a newer Quire. */
        CORRUPT,
        /** The store was closed. */
        CLOSED,
        /** Anything else: an I/O error, a database error. */
        FAILED
    }

    private final Reason reason;

    public StorageException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public StorageException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
