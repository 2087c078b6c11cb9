package dev.quire.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.protocols.Protocol;

/**
 * A real WebSocket client (Java-WebSocket) with a real Yjs-compatible document, for the server's tests: answers the
 * server's sync step 1, applies what it receives, sends its own edits as updates (text "t"), with or without Quire's
 * subprotocol. Every frame received is kept, and counted at the close, so a test can show that nothing came first.
 */
public final class SyncTestClient extends WebSocketClient {
    public static final long TIMEOUT_SECONDS = 10;
    private static final Object REMOTE = new Object();

    public record Closed(int code, String reason, int framesBefore, boolean remote) {
    }

    public final Doc doc = new Doc();
    private final List<byte[]> frames = new ArrayList<>();
    private final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    public final CompletableFuture<Closed> closed = new CompletableFuture<>();
    public final Semaphore pings = new Semaphore(0);
    public volatile boolean answerPings = true;
    public volatile boolean autoSync = true;

    public SyncTestClient(URI uri, boolean quire, Map<String, String> headers) {
        super(uri, quire ? new Draft_6455(List.of(), List.of(new Protocol(SyncServer.SUBPROTOCOL)))
                : new Draft_6455(), headers);
        doc.onUpdate((update, origin, t) -> {
            if (origin != REMOTE) {
                send(ProtocolCodec.encode(new SyncUpdate(update)));
            }
        });
    }

    /** Connects and waits for the handshake, without insisting that the socket is still open afterwards. */
    public SyncTestClient connectAndWait() throws InterruptedException {
        connectBlocking(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    public SyncTestClient connectOrFail() throws InterruptedException {
        assertTrue(connectBlocking(TIMEOUT_SECONDS, TimeUnit.SECONDS), "could not connect to " + getURI());
        return this;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        if (autoSync) { // as y-websocket's provider: step 1 on open
            synchronized (doc) {
                send(ProtocolCodec.encode(SyncProtocol.syncStep1(doc)));
            }
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
        if (autoSync) {
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
        }
        inbox.add(m);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        int n;
        synchronized (frames) {
            n = frames.size();
        }
        closed.complete(new Closed(code, reason, n, remote));
    }

    /** Transport errors seen (a refused connection may report one besides its close). */
    public final List<Exception> errors = new CopyOnWriteArrayList<>();

    @Override
    public void onError(Exception ex) {
        errors.add(ex);
    }

    @Override
    public void onWebsocketPing(WebSocket conn, Framedata f) {
        pings.release();
        if (answerPings) {
            super.onWebsocketPing(conn, f);
        }
    }

    public void sendMessage(Message m) {
        send(ProtocolCodec.encode(m));
    }

    /** Edits the document (its update goes to the server). */
    public void edit(Consumer<Doc> change) {
        synchronized (doc) {
            change.accept(doc);
        }
    }

    public String text() {
        synchronized (doc) {
            return doc.getText("t").toString();
        }
    }

    /** Waits until the document's text is {@code expected}. */
    public void awaitText(String expected) throws InterruptedException {
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

    /** The next received message of {@code type}, skipping others. */
    public <T extends Message> T next(Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            long left = deadline - System.nanoTime();
            Message m = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : null;
            if (m == null) {
                return fail("no " + type.getSimpleName() + " within " + TIMEOUT_SECONDS + " s");
            }
            if (type.isInstance(m)) {
                return type.cast(m);
            }
        }
    }

    /** A message of {@code type} received within {@code millis}, or null: for showing that something does not come. */
    public <T extends Message> T poll(Class<T> type, long millis) throws InterruptedException {
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

    /** Appends {@code text} to the end of the document's text. */
    public void type(String text) {
        edit(d -> d.getText("t").insert(d.getText("t").length(), text));
    }

    public boolean isClosedYet() {
        return closed.isDone();
    }

    public Closed awaitClose() throws Exception {
        return closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    public List<byte[]> frames() {
        synchronized (frames) {
            return new ArrayList<>(frames);
        }
    }
}
