package dev.quire.server;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.protocol.Ack;
import dev.quire.protocol.AuthOk;
import dev.quire.protocol.AwarenessEntry;
import dev.quire.protocol.AwarenessUpdate;
import dev.quire.protocol.ErrorMessage;
import dev.quire.protocol.Message;
import dev.quire.protocol.ProtocolCodec;
import dev.quire.protocol.SyncProtocol;
import dev.quire.protocol.SyncStep1;
import dev.quire.protocol.SyncStep2;
import dev.quire.protocol.SyncUpdate;
import dev.quire.server.sync.SyncServer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.protocols.Protocol;

/**
 * A Quire client as the desktop app will be one, reduced to what the server tests need: a {@link Doc} synced over a
 * WebSocket with an {@code Authorization: Bearer} header and Quire's subprotocol, so that it receives auth-ok, acks
 * and errors. Local edits go out as updates; everything received is applied and kept for assertions. The text is
 * the root {@code "text"}, the one y-websocket's demo clients (and {@code provider-client.mjs}) edit.
 */
final class QuireClient extends WebSocketClient {
    static final long TIMEOUT_SECONDS = 15;
    static final String TEXT = "text";
    private static final Object REMOTE = new Object();

    record Closed(int code, String reason) {
    }

    final Doc doc = new Doc();
    final CompletableFuture<AuthOk> authOk = new CompletableFuture<>();
    final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final CountDownLatch synced = new CountDownLatch(1);
    private final List<Ack> acks = new ArrayList<>();
    private final List<ErrorMessage> errors = new ArrayList<>();
    private final List<Exception> failures = new ArrayList<>();
    /** Every update received (sync step 2 and relayed updates), in order. */
    final List<byte[]> received = new ArrayList<>();
    /** Every local update sent, in order. */
    final List<byte[]> sent = new ArrayList<>();
    private final Map<Long, AwarenessEntry> awareness = new HashMap<>();

    private QuireClient(URI uri, Map<String, String> headers) {
        super(uri, new Draft_6455(List.of(), List.of(new Protocol(SyncServer.SUBPROTOCOL))), headers);
        doc.onUpdate((update, origin, t) -> {
            if (origin != REMOTE && isOpen()) {
                sent.add(update);
                send(ProtocolCodec.encode(new SyncUpdate(update)));
            }
        });
    }

    /** Connects to {@code syncBase/sync/{docId}} with a bearer token; returns once the socket is open. */
    static QuireClient connect(URI syncBase, String docId, String token) throws InterruptedException {
        QuireClient c = new QuireClient(syncUri(syncBase, docId), Map.of("Authorization", "Bearer " + token));
        assertTrue(c.connectBlocking(TIMEOUT_SECONDS, TimeUnit.SECONDS), "could not connect to " + c.getURI());
        return c;
    }

    static URI syncUri(URI syncBase, String docId) {
        return URI.create(syncBase + "/sync/" + URLEncoder.encode(docId, StandardCharsets.UTF_8));
    }

    /** Waits for the server's sync step 2, i.e. until this client holds the stored document. */
    QuireClient awaitSynced() throws InterruptedException {
        assertTrue(synced.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "no sync step 2 from the server");
        return this;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        synchronized (doc) { // as y-websocket's provider: step 1 on open
            send(ProtocolCodec.encode(SyncProtocol.syncStep1(doc)));
        }
    }

    @Override
    public void onMessage(String message) {
        closed.completeExceptionally(new AssertionError("the server sent a text frame"));
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        byte[] frame = new byte[bytes.remaining()];
        bytes.get(frame);
        Message m = ProtocolCodec.decode(frame);
        synchronized (doc) {
            if (m instanceof SyncStep1 s1) {
                send(ProtocolCodec.encode(SyncProtocol.syncStep2(doc, s1.stateVector())));
            } else if (m instanceof SyncStep2 s2) {
                received.add(s2.update());
                Updates.applyUpdate(doc, s2.update(), REMOTE);
                synced.countDown();
            } else if (m instanceof SyncUpdate u) {
                received.add(u.update());
                Updates.applyUpdate(doc, u.update(), REMOTE);
            } else if (m instanceof Ack a) {
                acks.add(a);
            } else if (m instanceof ErrorMessage e) {
                errors.add(e);
            } else if (m instanceof AwarenessUpdate a) {
                for (AwarenessEntry e : a.entries()) {
                    AwarenessEntry known = awareness.get(e.clientId());
                    if (known == null || known.clock() <= e.clock()) {
                        awareness.put(e.clientId(), e);
                    }
                }
            } else if (m instanceof AuthOk ok) {
                authOk.complete(ok);
            }
            doc.notifyAll();
        }
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        closed.complete(new Closed(code, reason));
        synchronized (doc) {
            doc.notifyAll();
        }
    }

    @Override
    public void onError(Exception ex) {
        synchronized (doc) {
            failures.add(ex);
        }
    }

    /** Exceptions on this client's socket thread, such as a received update its document could not apply. */
    List<Exception> failures() {
        synchronized (doc) {
            return List.copyOf(failures);
        }
    }

    /** Edits the document; the change goes to the server as an update. Returns this client's clock afterwards. */
    int edit(Consumer<Doc> change) {
        synchronized (doc) {
            change.accept(doc);
            return doc.stateVector().get(doc.clientId());
        }
    }

    /** Appends {@code s} to the text. Returns this client's clock afterwards: acked once an ack reaches it. */
    int append(String s) {
        return edit(d -> d.getText(TEXT).insert(d.getText(TEXT).length(), s));
    }

    String text() {
        synchronized (doc) {
            return doc.getText(TEXT).toString();
        }
    }

    List<Ack> acks() {
        synchronized (doc) {
            return List.copyOf(acks);
        }
    }

    List<ErrorMessage> errors() {
        synchronized (doc) {
            return List.copyOf(errors);
        }
    }

    /** The awareness states received, latest per client id. */
    Map<Long, AwarenessEntry> awareness() {
        synchronized (doc) {
            return Map.copyOf(awareness);
        }
    }

    /** Waits until the server acknowledged this client's updates up to {@code clock}. */
    void awaitAcked(int clock) throws InterruptedException {
        awaitState(() -> ackedClock() >= clock, () -> "acked up to " + ackedClock() + ", waiting for " + clock);
    }

    long ackedClock() {
        synchronized (doc) {
            return acks.stream().filter(a -> a.clientId() == doc.clientId()).mapToLong(Ack::clock).max().orElse(0);
        }
    }

    void awaitText(String expected) throws InterruptedException {
        awaitState(() -> doc.getText(TEXT).toString().equals(expected),
                () -> "text is '" + doc.getText(TEXT) + "', expected '" + expected + "'");
    }

    void awaitAwareness(int count) throws InterruptedException {
        awaitState(() -> awareness.values().stream().filter(e -> !e.isRemoval()).count() >= count,
                () -> "awareness has " + awareness + ", waiting for " + count + " states");
    }

    interface Condition {
        boolean holds();
    }

    /** Waits (on the document's monitor, which every received frame notifies) until {@code condition} holds. */
    void awaitState(Condition condition, java.util.function.Supplier<String> failure) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        synchronized (doc) {
            while (!condition.holds()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed.isDone()) {
                    if (condition.holds()) {
                        return;
                    }
                    fail(failure.get() + (closed.isDone() ? " (closed: " + closed.getNow(null) + ")" : ""));
                }
                doc.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    Closed awaitClose() throws Exception {
        return closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
