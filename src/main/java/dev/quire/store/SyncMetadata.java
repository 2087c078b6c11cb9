package dev.quire.store;

import java.time.Instant;

/** When a document last finished syncing with the server, and the server's state vector (Yjs v1 encoding) then. */
public record SyncMetadata(Instant lastSynced, byte[] serverStateVector) {
    @Override
    public String toString() {
        return "SyncMetadata[lastSynced=" + lastSynced + ", " + serverStateVector.length + " bytes of state vector]";
    }
}
