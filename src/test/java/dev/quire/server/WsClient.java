package dev.quire.server;

import static org.junit.jupiter.api.Assertions.fail;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.protocol.Message;
import dev.quire.protocol.ProtocolCodec;
import dev.quire.protocol.SyncProtocol;
import dev.quire.protocol.SyncStep1;
import dev.quire.protocol.SyncStep2;
import dev.quire.protocol.SyncUpdate;
import dev.quire.server.sync.SyncServer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.protocols.Protocol;

/**
 * A real WebSocket client holding a real Yjs-compatible document, as a Quire client ({@code quire.v1}) or a stock one
 * (no subprotocol). It records every frame it receives, in order, and how many had arrived when the socket closed,
 * so a test can show that a refused connection got nothing before its close.
 */
final class WsClient extends WebSocketClient {
    static final long TIMEOUT_SECONDS = 10;
    private static final Object REMOTE = new Object();

    record Closed(int code, String reason, int framesBefore) {
    }

    final Doc doc = new Doc();
    private final List<byte[]> frames = new ArrayList<>();
    private final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();

    WsClient(URI uri, boolean quire, Map<String, String> headers) {
        super(uri, quire ? new Draft_6455(List.of(), List.of(new Protocol(SyncServer.SUBPROTOCOL)))
                : new Draft_6455(), headers);
        doc.onUpdate((update, origin, t) -> {
            if (origin != REMOTE) {
                send(ProtocolCodec.encode(new SyncUpdate(update)));
            }
        });
    }

    /**
     * Connects and waits for the handshake, or for the close that may follow it at once: a refused connection may be
     * closed by the server before this returns. A test that expects the connection to live awaits an {@code AuthOk}
     * or its first frames.
     */
    WsClient connectAndWait() throws InterruptedException {
        connectBlocking(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        synchronized (doc) { // as y-websocket's provider: sync step 1 on open
            send(ProtocolCodec.encode(SyncProtocol.syncStep1(doc)));
        }
    }

    @Override
    public void onMessage(String message) {
        fail("the server sent a text frame");
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        byte[] frame = new byte[bytes.remaining()];
        bytes.get(frame);
        synchronized (frames) {
            frames.add(frame);
        }
        Message m = ProtocolCodec.decode(frame);
        synchronized (doc) {
            if (m instanceof SyncStep1 s1) {
                send(ProtocolCodec.encode(SyncProtocol.syncStep2(doc, s1.stateVector())));
            } else if (m instanceof SyncStep2 s2) {
                Updates.applyUpdate(doc, s2.update(), REMOTE);
            } else if (m instanceof SyncUpdate u) {
                Updates.applyUpdate(doc, u.update(), REMOTE);
            }
            doc.notifyAll();
        }
        inbox.add(m);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        int n;
        synchronized (frames) {
            n = frames.size();
        }
        closed.complete(new Closed(code, reason, n));
    }

    @Override
    public void onError(Exception ex) {
        errors.add(ex);
    }

    final List<Exception> errors = new java.util.concurrent.CopyOnWriteArrayList<>();

    void sendMessage(Message m) {
        send(ProtocolCodec.encode(m));
    }

    /** Edits the document; the update goes to the server. */
    void edit(Consumer<Doc> change) {
        synchronized (doc) {
            change.accept(doc);
        }
    }

    void type(String text) {
        edit(d -> d.getText("t").insert(d.getText("t").length(), text));
    }

    String text() {
        synchronized (doc) {
            return doc.getText("t").toString();
        }
    }

    void awaitText(String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        synchronized (doc) {
            while (!doc.getText("t").toString().equals(expected)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("text is '" + doc.getText("t") + "', expected '" + expected + "'");
                }
                doc.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** The next received message of {@code type}, skipping others; fails after {@link #TIMEOUT_SECONDS}. */
    <T extends Message> T next(Class<T> type) throws InterruptedException {
        T m = poll(type, TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        if (m == null) {
            fail("no " + type.getSimpleName() + " within " + TIMEOUT_SECONDS + " s");
        }
        return m;
    }

    /** The next message of {@code type} within {@code millis} (skipping others), or null. */
    <T extends Message> T poll(Class<T> type, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            long left = deadline - System.nanoTime();
            Message m = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : null;
            if (m == null) {
                return null;
            }
            if (type.isInstance(m)) {
                return type.cast(m);
            }
        }
    }

    Closed awaitClose() throws Exception {
        return closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    boolean isClosedYet() {
        return closed.isDone();
    }

    /** Every frame received so far, in order. */
    List<byte[]> frames() {
        synchronized (frames) {
            return new ArrayList<>(frames);
        }
    }
}
