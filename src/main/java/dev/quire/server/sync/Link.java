package dev.quire.server.sync;

/**
 * One client's socket as the sync logic sees it, so rooms and connections do not depend on the WebSocket library.
 * Every method may be called from any thread and does nothing once the socket is closed.
 */
interface Link {
    void send(byte[] frame);

    /** Starts the closing handshake with a close code and reason (RFC 6455 §5.5.1). */
    void close(int code, String reason);

    /** Drops the TCP connection without a closing handshake: for a peer that no longer answers. */
    void abort(String reason);

    void ping();

    /** Whether the client negotiated Quire's subprotocol and so understands Quire's own messages. */
    boolean quire();
}
