/**
 * The client's local store (issue 6, "Local store"): where profiles live and, per profile, an H2 database of
 * documents and the outbox of unsent edits. No sockets, no JavaFX, no session: the engine above calls it.
 *
 * <ul>
 *   <li>{@link dev.quire.store.Profiles} finds the data folder ({@code --data}, {@code QUIRE_HOME}, the platform's
 *       application-data folder) and the {@link dev.quire.store.Profile}s in it (one per server and user), and
 *       remembers the last one used.
 *   <li>{@link dev.quire.store.LocalStore} is one profile's database, locked against every other opener: document
 *       state, updates received, sync metadata, and the outbox ({@link dev.quire.store.OutboxEntry}, per user, with
 *       clock ranges), group commit, acknowledgements, compaction in the background, export and discard of unsent
 *       edits. Its failures are {@link dev.quire.store.LocalStoreException}s with a reason; the class comment states
 *       the contract for an edit whose append failed.
 *   <li>Package-private: {@code Database} (the lock, the connection, group commit, error classification),
 *       {@code StoreSchema} (migrations), {@code SafeNames} (file names from foreign strings).
 * </ul>
 */
package dev.quire.store;
