package dev.quire.server.sync;

import dev.quire.protocol.Message;
import dev.quire.protocol.ProtocolCodec;
import dev.quire.server.access.Role;
import dev.quire.server.auth.Principal;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One client connection: its id, its socket, and, once authenticated, the user bound to it for its whole life
 * (issue 5: "every update and awareness state on it is that user's").
 *
 * <p>Threads: the fields marked "room" are read and written only on the document's serial executor (see
 * {@link Room}); the volatile ones are also touched by the WebSocket library's threads.
 */
final class Connection {
    enum State { OPENING, OPEN, CLOSED }

    final String id;
    final String docId;
    final Link link;
    final boolean quire;
    final TokenBucket bucket;
    private final SyncMetrics metrics;

    /** When the last frame or pong arrived (clock millis). */
    volatile long lastSeenMillis;
    /** Set once the server has decided to close: later frames are dropped unread. */
    volatile boolean closing;

    // room
    Room room;
    State state = State.OPENING;
    Principal principal;
    Role role;
    /** The token's expiry plus the configured grace: the connection is closed here unless renewed. */
    Instant deadline;
    boolean warned;
    /** When the unanswered heartbeat ping went out, or -1. */
    long pingSentMillis = -1;
    boolean toldReadOnly;
    /** Awareness client ids this connection introduced; removed for everyone when it closes. */
    final Set<Long> awarenessIds = new LinkedHashSet<>();
    /** Yjs client ids whose clocks this connection's updates advanced: the ids its acks are for. */
    final Set<Long> writtenIds = new LinkedHashSet<>();

    Connection(String id, String docId, Link link, TokenBucket bucket, SyncMetrics metrics, long nowMillis) {
        this.id = id;
        this.docId = docId;
        this.link = link;
        this.quire = link.quire();
        this.bucket = bucket;
        this.metrics = metrics;
        this.lastSeenMillis = nowMillis;
    }

    void send(Message message) {
        send(ProtocolCodec.encode(message));
    }

    void send(byte[] frame) {
        if (closing) {
            return;
        }
        metrics.bytesOut.increment(frame.length);
        link.send(frame);
    }

    void close(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        metrics.closed(reason);
        link.close(code, reason);
    }

    void abort(String reason) {
        if (closing) {
            return;
        }
        closing = true;
        metrics.closed(reason);
        link.abort(reason);
    }

    String userId() {
        return principal == null ? null : principal.userId();
    }

    @Override
    public String toString() {
        return "Connection[" + id + ", doc " + docId + ", user " + userId() + "]";
    }
}
