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
 */
public record DocumentStatus(Snapshot connection, int queued, Optional<Instant> lastSynced,
                             Optional<String> saveError) {

    /** Online and nothing waiting: "Saved · online". */
    public boolean inSync() {
        return connection.state() == ConnectionState.CONNECTED && queued == 0 && saveError.isEmpty();
    }
}
