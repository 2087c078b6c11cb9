package dev.quire.server.sync;

import dev.quire.protocol.Message;
import dev.quire.protocol.ProtocolCodec;
import dev.quire.protocol.ProtocolException;
import dev.quire.server.access.DocumentAccess;
import dev.quire.server.storage.DocumentStore;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync server's logic behind the socket library: connections in, frames in, closes in; each handed to the room
 * of its document. {@link SyncServer} adapts Java-WebSocket's callbacks to these methods, which are cheap and never
 * block on storage: the work runs on the room's serial executor.
 *
 * <p>Rooms live while they have connections: the first connection creates one (and its admission loads the document),
 * the last one's close removes it. A room's {@link Room#refs} counts its connections and is changed only inside
 * {@link ConcurrentHashMap#compute} on the room's key, so a connection never joins a room that is being removed.
 */
final class SyncService {
    private static final Logger log = LoggerFactory.getLogger(SyncService.class);

    /** What every room needs. */
    record Shared(DocumentStore store, DocumentAccess access, Authenticator authenticator, Clock clock,
                  SyncMetrics metrics, SyncServerConfig config) {
    }

    private final Shared shared;
    private final ExecutorService pool;
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();

    SyncService(Shared shared, ExecutorService pool) {
        this.shared = shared;
        this.pool = pool;
    }

    /** A socket opened for {@code request}; authentication runs on the document's executor. */
    Connection opened(Link link, ConnectRequest request) {
        Connection c = new Connection(newConnectionId(), request.docId(), link,
                new TokenBucket(shared.config().rate(), shared.clock()), shared.metrics(), shared.clock().millis());
        Room room = rooms.compute(request.docId(), (id, r) -> {
            Room held = r != null ? r : new Room(id, new SerialExecutor(pool), shared);
            held.refs++;
            return held;
        });
        c.room = room;
        room.executor.execute(() -> room.admit(c, request));
        return c;
    }

    /** A binary frame arrived. Limits are checked here, on the library's thread; the message goes to the room. */
    void received(Connection c, byte[] frame) {
        c.lastSeenMillis = shared.clock().millis();
        shared.metrics().bytesIn.increment(frame.length);
        if (c.closing) {
            return;
        }
        if (!c.bucket.tryTake()) {
            log.atInfo().addKeyValue("conn", c.id).addKeyValue("doc", c.docId).log("rate limit exceeded; closing");
            c.close(CloseCodes.POLICY_VIOLATION, CloseCodes.RATE_LIMITED);
            return;
        }
        Message message;
        try {
            message = ProtocolCodec.decode(frame, shared.config().maxFrameBytes());
        } catch (ProtocolException e) {
            switch (e.kind()) {
                case UNKNOWN_TYPE -> {
                    // y-websocket's server ignores types it does not know; so does this one (newer clients may
                    // speak more), within the rate limit
                    log.atDebug().addKeyValue("conn", c.id).addKeyValue("why", e.getMessage()).log("ignored a frame");
                    return;
                }
                case TOO_LARGE -> c.close(CloseCodes.TOO_BIG, CloseCodes.TOO_LARGE);
                default -> c.close(CloseCodes.INVALID_PAYLOAD, e.kind().name());
            }
            log.atInfo().addKeyValue("conn", c.id).addKeyValue("doc", c.docId).addKeyValue("kind", e.kind())
                    .addKeyValue("why", e.getMessage()).log("bad frame; closing");
            return;
        }
        Timer.Sample sample = Timer.start(shared.metrics().registry());
        Room room = c.room;
        room.executor.runHereOrQueue(() -> room.handle(c, message, sample));
    }

    /** A text frame: y-protocols is binary only. */
    void receivedText(Connection c) {
        c.lastSeenMillis = shared.clock().millis();
        c.close(CloseCodes.UNSUPPORTED_DATA, CloseCodes.BINARY_ONLY);
    }

    void pong(Connection c) {
        c.lastSeenMillis = shared.clock().millis();
    }

    /** The socket closed, whoever closed it: the connection leaves its room; the last one removes the room. */
    void closed(Connection c, int code, String reason) {
        c.closing = true;
        Room room = c.room;
        room.executor.execute(() -> {
            room.leave(c, code, reason);
            boolean[] gone = {false};
            rooms.compute(room.docId, (id, r) -> {
                room.refs--;
                gone[0] = room.refs == 0;
                return gone[0] ? null : r;
            });
            if (gone[0]) {
                room.release(); // a connection arriving now gets a new room, which pins the document anew
            }
        });
    }

    /** Runs every room's timers on its own executor. */
    void sweep() {
        for (Room room : rooms.values()) {
            room.executor.execute(room::sweep);
        }
    }

    void externalUpdate(String docId, byte[] update) {
        Room room = rooms.get(docId);
        if (room != null) {
            room.executor.execute(() -> room.externalUpdate(update));
        }
    }

    void recheckAccess(String docId) {
        Room room = rooms.get(docId);
        if (room != null) {
            room.executor.execute(room::recheckAccess);
        }
    }

    int rooms() {
        return rooms.size();
    }

    /** Random rather than a counter, so ids in the stored history stay unique across restarts. */
    private static String newConnectionId() {
        return "c-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
