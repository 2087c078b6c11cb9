package dev.quire.server.storage;

import dev.quire.server.storage.StorageException.Reason;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;

/** Turns H2's and the file system's errors into {@link StorageException}s that say what an operator can do. */
final class StorageErrors {
    /** H2 error codes (org.h2.api.ErrorCode) that map to a {@link Reason}. */
    private static final int DATABASE_ALREADY_OPEN = 90020;
    private static final int FILE_CORRUPTED = 90030;
    private static final int FILE_VERSION_ERROR = 90048;
    private static final int DATABASE_IS_READ_ONLY = 90097;

    private StorageErrors() {
    }

    /** A StorageException for {@code what} failing because of {@code e}, with a hint for the operator. */
    static StorageException failure(Path dataDir, String what, Exception e) {
        Reason reason = classify(e);
        String hint = switch (reason) {
            case READ_ONLY -> "; the data directory " + dataDir + " must be writable (check permissions and mount"
                    + " options)";
            case DISK_FULL -> "; free space on the disk that holds " + dataDir;
            case LOCKED -> "; another process has the database in " + dataDir + " open: stop it, or give this"
                    + " server its own data directory";
            case CORRUPT -> "; the database in " + dataDir + " is damaged: restore it from a backup";
            default -> "";
        };
        return e instanceof StorageException se ? se
                : new StorageException(reason, what + " failed: " + describe(e) + hint, e);
    }

    /** Why an operation failed, from H2's error codes and the I/O errors underneath. */
    static Reason classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("no space left on device") || m.contains("disk full") || m.contains("not enough space")) {
                return Reason.DISK_FULL;
            }
            if (t instanceof AccessDeniedException || m.contains("read-only file system")
                    || m.contains("permission denied")) {
                return Reason.READ_ONLY;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                switch (s.getErrorCode()) {
                    case DATABASE_ALREADY_OPEN:
                        return Reason.LOCKED;
                    case DATABASE_IS_READ_ONLY:
                        return Reason.READ_ONLY;
                    case FILE_CORRUPTED:
                    case FILE_VERSION_ERROR:
                        return Reason.CORRUPT;
                    default:
                        break;
                }
            }
        }
        return Reason.FAILED;
    }

    /**
     * What went wrong, in one line: H2's summary without the SQL it was running, and the innermost cause, where the
     * actual problem ("No space left on device", a file name) usually is.
     */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                .replaceFirst(";? *SQL statement:.*$", "");
        return root == e ? top : top + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
