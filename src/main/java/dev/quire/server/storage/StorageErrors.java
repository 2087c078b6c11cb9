package dev.quire.server.storage;

import dev.quire.h2.H2Errors;
import dev.quire.server.storage.StorageException.Reason;
import java.nio.file.Path;

/** Turns H2's and the file system's errors into {@link StorageException}s that say what an operator can do. */
final class StorageErrors {
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

    /** Why an operation failed (the shared reading of H2's and the file system's errors). */
    static Reason classify(Throwable e) {
        return Reason.valueOf(H2Errors.classify(e).name());
    }

    static String describe(Throwable e) {
        return H2Errors.describe(e);
    }
}
