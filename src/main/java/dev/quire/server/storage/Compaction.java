package dev.quire.server.storage;

/**
 * What {@link DocumentStore#compact} did.
 *
 * @param foldedUpdates how many logged updates were folded into the snapshot (0: nothing to do)
 * @param logBytesBefore bytes of logged updates before compaction (all of them were folded)
 * @param snapshotBytes size of the new snapshot
 */
public record Compaction(int foldedUpdates, long logBytesBefore, long snapshotBytes) {
}
