package dev.quire.store;

/**
 * The local store could not do what was asked, and stored nothing of it: a failed {@link LocalStore#appendLocal}
 * left no part of its update behind. The message says what failed, for which document, and what the user can do;
 * {@link #reason()} lets the application choose what to show ("cannot save: the disk is full").
 *
 * <p>The caller's contract: an edit whose append failed is still in the caller's memory only. The engine keeps it
 * there (in its document, and as an update to append again) and retries once the cause is gone; the store is usable
 * again without reopening it.
 */
public class LocalStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the store failed. */
    public enum Reason {
        /** The disk that holds the profile is full. */
        DISK_FULL,
        /** The profile directory or its database cannot be written (permissions, a read-only mount). */
        READ_ONLY,
        /** The database cannot be read back: a damaged file, or one written by a newer Quire. */
        CORRUPT,
        /** Another Quire (another process, or another open in this one) has the profile open. */
        LOCKED,
        /** The store was closed. */
        CLOSED,
        /** Anything else: an I/O error, a database error. */
        FAILED
    }

    private final Reason reason;

    LocalStoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    LocalStoreException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
