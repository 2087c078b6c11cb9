package dev.quire.protocol;

/**
 * One WebSocket frame of Quire's sync connection, decoded: the y-protocols messages a stock y-websocket@2.1.0 peer
 * sends and understands ({@link SyncMessage}, {@link AwarenessUpdate}, {@link QueryAwareness},
 * {@link AuthPermissionDenied}) and Quire's own messages ({@link QuireMessage}). {@link ProtocolCodec} turns frames
 * into these records and back.
 */
public sealed interface Message permits SyncMessage, AwarenessUpdate, QueryAwareness, AuthPermissionDenied, QuireMessage {
}
