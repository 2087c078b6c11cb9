package dev.quire.bench.load;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * The floor for the sync load: Java-WebSocket (the library Quire's server is built on) relaying every binary frame
 * to the other sockets on the same path, and nothing else: no document, no storage, no auth, no acks. Run as a child
 * process by {@link RelayFloorTarget}; what Quire's server costs above it is Quire's own work.
 */
public final class RelayFloor extends WebSocketServer {
    static final String READY = "relay floor running";
    private final Map<String, Set<WebSocket>> rooms = new ConcurrentHashMap<>();

    private RelayFloor(int port) {
        super(new InetSocketAddress("127.0.0.1", port));
        setTcpNoDelay(true); // as Quire's server
        setReuseAddr(true);
    }

    /** {@code RelayFloor PORT}: serves until killed. */
    public static void main(String[] args) {
        new RelayFloor(Integer.parseInt(args[0])).start();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        String room = handshake.getResourceDescriptor();
        conn.setAttachment(room);
        rooms.computeIfAbsent(room, k -> ConcurrentHashMap.newKeySet()).add(conn);
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        Set<WebSocket> room = rooms.get((String) conn.getAttachment());
        if (room != null) {
            room.remove(conn);
        }
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        // the load sends binary frames only
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        byte[] frame = new byte[message.remaining()];
        message.get(frame);
        for (WebSocket other : rooms.getOrDefault((String) conn.getAttachment(), Set.of())) {
            if (other != conn) {
                other.send(frame);
            }
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        System.err.println("relay floor: " + ex);
    }

    @Override
    public void onStart() {
        System.out.println(READY);
    }
}
