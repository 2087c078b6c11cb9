package dev.quire.engine;

import dev.quire.sync.ConnectionMachine.Snapshot;
import dev.quire.sync.ConnectionState;
import java.time.Instant;
import java.util.Optional;

/**
 * What a document window's status bar draws, from the engine's state and never a guess.
 *
 * @param connection the connection's state, next retry time, last close code and error
 * @param queued     this user's edits of the document saved locally and not yet acknowledged by the server
 * @param lastSynced when the server last answered (a sync, an ack or an update), if ever in this run
 * @param saveError  why the last edit could not be saved on this computer, while that is so
 * @param readOnly   the server said this user may only read the document (shared as reader)
 * @param renewing   the session's refresh failed for a transient reason and is being retried: the access token
 *                   may expire before it succeeds
 */
public record DocumentStatus(Snapshot connection, int queued, Optional<Instant> lastSynced,
                             Optional<String> saveError, boolean readOnly, boolean renewing) {

    /** A document as it opens: nothing heard from the server yet. */
    static DocumentStatus opening(int queued, Optional<Instant> lastSynced) {
        return new DocumentStatus(Snapshot.INITIAL, queued, lastSynced, Optional.empty(), false, false);
    }

    /** Online and nothing waiting: "Saved · online". */
    public boolean inSync() {
        return connection.state() == ConnectionState.CONNECTED && queued == 0 && saveError.isEmpty();
    }

    public DocumentStatus withConnection(Snapshot s, Optional<Instant> synced) {
        return new DocumentStatus(s, queued, synced, saveError, readOnly, renewing);
    }

    public DocumentStatus withQueued(int n) {
        return new DocumentStatus(connection, n, lastSynced, saveError, readOnly, renewing);
    }

    public DocumentStatus withSynced(int n, Instant at) {
        return new DocumentStatus(connection, n, Optional.of(at), saveError, readOnly, renewing);
    }

    public DocumentStatus withSaveError(Optional<String> why) {
        return new DocumentStatus(connection, queued, lastSynced, why, readOnly, renewing);
    }

    public DocumentStatus withReadOnly(boolean r) {
        return new DocumentStatus(connection, queued, lastSynced, saveError, r, renewing);
    }

    public DocumentStatus withRenewing(boolean r) {
        return new DocumentStatus(connection, queued, lastSynced, saveError, readOnly, r);
    }
}
