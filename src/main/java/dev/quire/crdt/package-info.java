/**
 * Quire's document core: a CRDT whose updates are byte-compatible with Yjs 13.6 (update encoding v1).
 *
 * <p>What users see: {@link dev.quire.crdt.Doc} holds named root types — {@link dev.quire.crdt.YText} (rich text),
 * {@link dev.quire.crdt.YMap}, {@link dev.quire.crdt.YArray} — changed inside transactions; {@link
 * dev.quire.crdt.Updates} encodes, applies, merges and diffs updates; {@link dev.quire.crdt.RelativePosition}
 * and {@link dev.quire.crdt.UndoManager} serve the editor.
 *
 * <p>What is stored (Yjs {@code structs/}): {@code Item} (a run of content with its YATA origins), {@code GC}
 * (collected content), {@code Skip} (a gap inside an update), and the {@code Content*} kinds an item holds.
 *
 * <p>How it is kept and exchanged (Yjs {@code utils/}): {@code StructStore}/{@code StructList} (structs by client
 * and clock), {@code DeleteSet}, {@link dev.quire.crdt.StateVector}, {@code Transaction} (cleanup, merging, GC),
 * {@code UpdateEncoder}/{@code UpdateDecoder}/{@code StructReader} (the v1 wire format), {@code MergeUpdates},
 * {@code SearchMarkers} and {@code ItemIndex} (index lookups; see docs/decisions/0002).
 *
 * <p>The package knows nothing of sockets, SQL or JavaFX (checked by ArchitectureTest). A document is not
 * thread-safe: one owner thread, or one lock, per document.
 */
package dev.quire.crdt;
