package dev.quire.h2;

import java.sql.Connection;
import java.sql.SQLException;

/** Connection housekeeping after a failure, shared by the server's storage and the client's store. */
public final class H2Connections {
    private H2Connections() {
    }

    /**
     * Rolls back after {@code failure}; a failing rollback is added to it as suppressed. H2 closes the database after
     * a write error, so the connection may be broken: then it is closed and false returned, and the caller drops it
     * (to reopen on next use). True means it is still usable.
     */
    public static boolean rollbackAfter(Connection connection, Exception failure) {
        try {
            connection.rollback();
            if (!connection.isClosed()) {
                return true;
            }
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        closeQuietly(connection);
        return false;
    }

    /** Closes something already broken; the failure that got us here is reported instead of this one's. */
    public static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already broken
            }
        }
    }
}
