package dev.quire.h2;

import java.nio.file.AccessDeniedException;
import java.sql.SQLException;
import java.util.Locale;

/**
 * What an H2 or file-system failure means for whoever stores data: the reading shared by the server's storage and
 * the client's local store, each of which turns it into its own exception with its own advice.
 */
public final class H2Errors {
    /** Why storing failed. */
    public enum Cause {
        /** The directory or file cannot be written (permissions, a read-only mount). */
        READ_ONLY,
        /** The disk is full. */
        DISK_FULL,
        /** Another process has the database open. */
        LOCKED,
        /** The stored data cannot be read back: a damaged file, or one written by a newer version. */
        CORRUPT,
        /** Anything else. */
        FAILED
    }

    /** H2 error codes (org.h2.api.ErrorCode) that name a cause. */
    private static final int DATABASE_ALREADY_OPEN = 90020;
    private static final int FILE_CORRUPTED = 90030;
    private static final int FILE_VERSION_ERROR = 90048;
    private static final int DATABASE_IS_READ_ONLY = 90097;

    private H2Errors() {
    }

    /** Why an operation failed, from the I/O errors underneath first (they are the most precise), then H2's codes. */
    public static Cause classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("no space left on device") || m.contains("disk full") || m.contains("not enough space")) {
                return Cause.DISK_FULL;
            }
            if (t instanceof AccessDeniedException || m.contains("read-only file system")
                    || m.contains("permission denied")) {
                return Cause.READ_ONLY;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                switch (s.getErrorCode()) {
                    case DATABASE_ALREADY_OPEN:
                        return Cause.LOCKED;
                    case DATABASE_IS_READ_ONLY:
                        return Cause.READ_ONLY;
                    case FILE_CORRUPTED:
                    case FILE_VERSION_ERROR:
                        return Cause.CORRUPT;
                    default:
                        break;
                }
            }
        }
        return Cause.FAILED;
    }

    /**
     * What went wrong, in one line: H2's summary without the SQL it was running, and the innermost cause, where the
     * actual problem ("No space left on device", a file name) usually is.
     */
    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                .replaceFirst(";? *SQL statement:.*$", "");
        return root == e ? top : top + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
