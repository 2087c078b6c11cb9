package dev.quire.protocol;

/**
 * Quire's own messages, all under one top-level message type, {@link ProtocolCodec#MESSAGE_QUIRE} (81), followed
 * by a sub-type byte and the fields.
 *
 * <p>Why one extra type, and why 81: a stock y-websocket@2.1.0 client that receives a type it does not know logs
 * "Unable to compute message" for every such frame (its server ignores them), so the server sends these only on
 * connections that asked for Quire's WebSocket subprotocol; one type keeps that rule a single check, and the
 * sub-type byte leaves room for more messages. The number avoids the types that other extensions of the same
 * numbering already use: 4 (y-webrtc's broadcast-channel peer id; Hocuspocus's sync reply), 5 to 10 (Hocuspocus's
 * stateless, close, sync-status, ping and pong, should anyone bridge the two) and 100 and up (y-sweet's sync status
 * 102, fragment types of some servers). It is below 128, so it stays one byte as a lib0 varUint, and 0x51 is ASCII
 * {@code Q}, which makes Quire frames easy to spot in a hex dump.
 */
public sealed interface QuireMessage extends Message permits AuthOk, Renew, Ack, ErrorMessage {
}
