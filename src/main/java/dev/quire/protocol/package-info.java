/**
 * The messages of Quire's sync connection, shared by the reference server and the client engine: bytes in,
 * records out. Byte-compatible with y-protocols@1.0.7 as framed by y-websocket@2.1.0, so stock Yjs clients can
 * take part, plus Quire's own messages under one extra type that they never receive unasked.
 *
 * <ul>
 *   <li>{@link dev.quire.protocol.Message} and its records: what a frame says. {@link dev.quire.protocol.SyncStep1},
 *       {@link dev.quire.protocol.SyncStep2}, {@link dev.quire.protocol.SyncUpdate} (sync.js);
 *       {@link dev.quire.protocol.AwarenessUpdate} (awareness.js); {@link dev.quire.protocol.QueryAwareness};
 *       {@link dev.quire.protocol.AuthPermissionDenied} (auth.js); {@link dev.quire.protocol.QuireMessage}s:
 *       {@link dev.quire.protocol.AuthOk}, {@link dev.quire.protocol.Renew}, {@link dev.quire.protocol.Ack},
 *       {@link dev.quire.protocol.ErrorMessage}.
 *   <li>{@link dev.quire.protocol.ProtocolCodec}: frames to records and back; the wire format table is there.
 *       Bad frames become {@link dev.quire.protocol.ProtocolException}s, whose messages never quote a frame.
 *   <li>{@link dev.quire.protocol.SyncProtocol}: the sync handshake against a {@link dev.quire.crdt.Doc}.
 *   <li>{@link dev.quire.protocol.AwarenessStates}: awareness merge rules and timeouts, with an injected clock.
 * </ul>
 *
 * <p>No sockets, SQL or JavaFX here (checked by ArchitectureTest), and no threads or timers: the connection layer
 * ({@code sync}, {@code server}) drives it.
 */
package dev.quire.protocol;
