package dev.quire.server.storage;

import java.time.Instant;
import java.util.List;

/**
 * One stored update: who sent it, on which connection, when, how big it was, and which clocks it added to the
 * document.
 *
 * @param seq          position in the document's log, from 1, without gaps
 * @param byteLength   size of the update as received
 * @param added        the clock ranges that became part of the document when this update was stored, by client id;
 *                     empty for an update that only deletes (or only waits for missing updates, see {@link
 *                     DocumentStore#appendUpdate})
 * @param inSnapshot   whether {@link DocumentStore#compact} has folded its bytes into the snapshot (the entry itself
 *                     is kept for attribution)
 */
public record HistoryEntry(long seq, String userId, String connectionId, Instant serverTime, int byteLength,
                           List<ClockRange> added, boolean inSnapshot) {
    public HistoryEntry {
        added = List.copyOf(added);
    }
}
