/**
 * Storage of the reference server: documents, their update logs and who wrote what, behind {@link
 * dev.quire.server.storage.DocumentStore} so that a networked database can replace the embedded one later.
 *
 * <p>{@link dev.quire.server.storage.H2DocumentStore} keeps everything under the server's data directory: metadata
 * and snapshots in one embedded H2 file, each document's updates in a log file of its own ({@code DocumentLogs}). A
 * document is a snapshot (one Yjs update) plus the updates stored after it; each stored update keeps its user id,
 * connection id, server time and the clock ranges it added, and {@code compact} folds the log into the snapshot
 * while keeping those attribution records.
 *
 * <p>An update is acknowledged only after {@code appendUpdate} returns, and it returns only after its record has
 * been written to the update journal ({@code UpdateJournal}), so a {@code kill -9} of the server never loses an
 * acknowledged update (see {@link dev.quire.server.storage.Durability}); the journal is folded into the document
 * logs in the background and replayed on open (ADRs 0007, 0011). Every update is applied to the
 * document's current state before it is stored, so nothing that the document core cannot read is ever stored.
 *
 * <p>{@link dev.quire.server.storage.WorkspaceStore} keeps workspaces and document shares in the same file, so a
 * document and its access rules are backed up and restored together. Users are not stored here (user ids are opaque
 * strings). Each Yjs client id is bound, per document, to the first user who writes with it (see {@link
 * dev.quire.server.storage.ClientIdTakenException}).
 *
 * <p>{@link dev.quire.server.storage.RefreshTokenStore} keeps refresh token families in the same file (only hashes
 * of the tokens), reachable as {@code H2Storage.refreshTokens()}.
 */
package dev.quire.server.storage;
