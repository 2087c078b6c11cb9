package dev.quire.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quire.engine.DocumentStatus;
import dev.quire.sync.ConnectionMachine.Snapshot;
import dev.quire.sync.ConnectionState;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every state the status bar can show, as the issue words them ("retry now" is a link beside it, not words). */
class StatusLineTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    private static DocumentStatus status(ConnectionState state, int queued, Instant retryAt, String error) {
        return new DocumentStatus(new Snapshot(state, 1, Optional.ofNullable(retryAt), error == null ? 0 : 1008,
                Optional.ofNullable(error)), queued, Optional.empty(), Optional.empty(), false, false);
    }

    @Test
    void eachStateSaysWhatIsTrue() {
        assertEquals("Saved · online", StatusLine.describe(status(ConnectionState.CONNECTED, 0, null, null), NOW));
        assertEquals("Online — sending 3 edits",
                StatusLine.describe(status(ConnectionState.CONNECTED, 3, null, null), NOW));
        assertEquals("Offline — 1 edit saved on this computer",
                StatusLine.describe(status(ConnectionState.OFFLINE, 1, null, null), NOW));
        assertEquals("Reconnecting in 4 s — 12 edits saved on this computer",
                StatusLine.describe(status(ConnectionState.RECONNECTING, 12, NOW.plusMillis(3_200), null), NOW));
        assertEquals("Reconnecting in 1 s",
                StatusLine.describe(status(ConnectionState.RECONNECTING, 0, NOW.minusMillis(5), null), NOW));
        assertEquals("Signed out — sign in to send 5 edits",
                StatusLine.describe(status(ConnectionState.AUTH_FAILED, 5, null, "SESSION_ENDED"), NOW));
        assertEquals("No access to this document",
                StatusLine.describe(status(ConnectionState.FORBIDDEN, 0, null, "FORBIDDEN"), NOW));
        assertEquals("Stopped: the server refused an edit as too big — please report this",
                StatusLine.describe(status(ConnectionState.CLOSED, 0, null, "MESSAGE_TOO_BIG"), NOW));
    }

    @Test
    void readOnlyAndRenewingAreSaidWhileConnected() {
        DocumentStatus online = status(ConnectionState.CONNECTED, 0, null, null);
        assertEquals("Read-only (shared as reader)", StatusLine.describe(online.withReadOnly(true), NOW));
        assertEquals("Session expires soon — renewing", StatusLine.describe(online.withRenewing(true), NOW));
        // offline, the connection's state is the truth that matters: the edits wait either way
        assertEquals("Offline — 2 edits saved on this computer", StatusLine.describe(
                status(ConnectionState.OFFLINE, 2, null, null).withRenewing(true), NOW));
    }

    @Test
    void aSaveFailureOutranksTheConnection() {
        DocumentStatus s = new DocumentStatus(new Snapshot(ConnectionState.CONNECTED, 0, Optional.empty(), 0,
                Optional.empty()), 0, Optional.empty(), Optional.of("disk full"), true, true);
        assertEquals("Cannot save on this computer — edits are kept in memory and sent when online",
                StatusLine.describe(s, NOW));
    }
}
