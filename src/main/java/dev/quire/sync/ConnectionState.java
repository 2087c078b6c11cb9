package dev.quire.sync;

/** Where one document connection stands (issue 6 "Connections"). */
public enum ConnectionState {
    /** Getting a token, dialling, or waiting for the server's auth-ok. */
    CONNECTING,
    /** Authenticated and syncing or in sync. */
    CONNECTED,
    /** The operating system reports no network: waiting for it to come back (or for "retry now"). */
    OFFLINE,
    /** The link failed: waiting out a backoff delay before the next attempt. */
    RECONNECTING,
    /** The session ended (rejected, revoked, signed out): nothing is sent until the user signs in again. */
    AUTH_FAILED,
    /** The server refused access to the document: no retry loop. */
    FORBIDDEN,
    /** Closed by the user, or given up on a bug (a frame the server found too big). */
    CLOSED;

    /** Whether the connection would do anything without being opened again. */
    public boolean isTerminal() {
        return this == AUTH_FAILED || this == FORBIDDEN || this == CLOSED;
    }
}
