package dev.quire.protocol;

/**
 * The three messages of the y-protocols sync protocol (sync.js), all under y-websocket's top-level type
 * {@code messageSync} (0). {@link SyncProtocol} answers them against a document.
 */
public sealed interface SyncMessage extends Message permits SyncStep1, SyncStep2, SyncUpdate {
}
