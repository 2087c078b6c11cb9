package dev.quire.server.storage;

/**
 * How much a document keeps, for deciding when to {@link DocumentStore#compact} and for metrics.
 *
 * @param lastSeq       the sequence number of the last stored update (0: none yet)
 * @param snapshotSeq   updates up to this sequence number are folded into the snapshot
 * @param snapshotBytes size of the snapshot (0: none yet)
 * @param logUpdates    updates stored after the snapshot
 * @param logBytes      their total size
 */
public record LogStats(long lastSeq, long snapshotSeq, long snapshotBytes, long logUpdates, long logBytes) {
}
