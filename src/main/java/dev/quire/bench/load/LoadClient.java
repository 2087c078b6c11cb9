package dev.quire.bench.load;

import dev.quire.crdt.Doc;
import dev.quire.crdt.StateVector;
import dev.quire.crdt.YText;
import dev.quire.protocol.Ack;
import dev.quire.protocol.AuthPermissionDenied;
import dev.quire.protocol.ErrorMessage;
import dev.quire.protocol.Message;
import dev.quire.protocol.ProtocolCodec;
import dev.quire.protocol.ProtocolException;
import dev.quire.protocol.SyncMessage;
import dev.quire.protocol.SyncProtocol;
import dev.quire.protocol.SyncStep2;
import dev.quire.protocol.SyncUpdate;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One simulated editor: a Quire {@link Doc} synced over a JDK WebSocket the way y-websocket's provider does it
 * (step 1 on open, step 2 in answer to the server's step 1, then updates), typing markers such as {@code [c17:42] }
 * into the Y.Text "text".
 *
 * <p>Where edits go, so that "every edit is in the final text" can be checked by searching for its marker: a
 * marker is inserted only right after a space (or at the start), and a delete only removes a space. A marker is
 * then never split (nothing is ever inserted inside it) and never deleted.
 *
 * <p>Threads: the document, the random source and the send chain belong to this object's monitor; the typing
 * scheduler and the WebSocket's executor both take it. The JDK WebSocket allows one outstanding send, so sends are
 * chained in order on {@link #outgoing}.
 */
final class LoadClient implements WebSocket.Listener {
    /** Transaction origin of our own edits; remote updates are applied with {@link #REMOTE} and never sent back. */
    private static final Object LOCAL = "local";
    private static final Object REMOTE = "remote";
    /** A delete (of one space) comes with one edit in ten, in the same transaction as that edit's marker. */
    private static final int DELETE_ONE_IN = 10;

    final int index;
    final int docIndex;
    final long clientId;
    final EditLog log;
    private final Doc doc;
    private final YText text;
    private final SplittableRandom random;
    private final Tracker tracker;
    private final Faults faults;
    private final Window window;
    private LoadClient[] peers = new LoadClient[0];
    private int[] nextOfPeer = new int[0];

    private WebSocket ws;
    private CompletableFuture<?> outgoing = CompletableFuture.completedFuture(null);
    private final AtomicBoolean sendFailed = new AtomicBoolean();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private byte[] localUpdate;
    private int clock;
    private long incomingUpdates;
    private volatile long ackedClock;
    private volatile boolean closing;
    final CompletableFuture<Void> synced = new CompletableFuture<>();

    /** When the measured window starts (System.nanoTime), shared by all clients and set before typing starts. */
    static final class Window {
        volatile long measureFrom = Long.MAX_VALUE;
        volatile long measureTo = Long.MAX_VALUE;

        boolean contains(long nanos) {
            return nanos >= measureFrom && nanos < measureTo;
        }
    }

    LoadClient(int index, int docIndex, long clientId, int maxEdits, long seed, Tracker tracker, Faults faults,
            Window window) {
        this.index = index;
        this.docIndex = docIndex;
        this.clientId = clientId;
        this.log = new EditLog(maxEdits);
        this.doc = new Doc(clientId);
        this.text = doc.getText("text");
        this.random = new SplittableRandom(seed);
        this.tracker = tracker;
        this.faults = faults;
        this.window = window;
        doc.onUpdate((update, origin, t) -> {
            if (origin == LOCAL) {
                localUpdate = update;
            }
        });
    }

    /** The other clients of this client's document, whose edits it watches arrive. */
    synchronized void setPeers(List<LoadClient> others) {
        peers = others.toArray(new LoadClient[0]);
        nextOfPeer = new int[peers.length];
    }

    CompletableFuture<WebSocket> connect(HttpClient http, URI uri, Map<String, String> headers,
            List<String> subprotocols, Duration timeout) {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(timeout);
        headers.forEach(builder::header);
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.get(0),
                    subprotocols.subList(1, subprotocols.size()).toArray(new String[0]));
        }
        return builder.buildAsync(uri, this);
    }

    // ---- typing ----

    /** Makes one edit and sends it; called by the typing scheduler at the configured rate. */
    synchronized void type() {
        if (closing || ws == null || log.isFull()) {
            return;
        }
        String marker = "[c" + index + ":" + log.count() + "]";
        String inserted = marker + " ";
        long made = System.nanoTime();
        localUpdate = null;
        doc.transact(t -> {
            String s = text.toString();
            if (s.length() > 40 && random.nextInt(DELETE_ONE_IN) == 0) {
                int space = s.indexOf(' ', random.nextInt(s.length()));
                if (space < 0) {
                    space = s.indexOf(' ');
                }
                if (space >= 0) {
                    text.delete(space, 1);
                    s = text.toString();
                }
            }
            int at = s.lastIndexOf(' ', random.nextInt(s.length() + 1) - 1) + 1;
            text.insert(at, inserted);
        }, LOCAL);
        // Yjs counts a string's clock length in UTF-16 units; a delete takes no clock
        clock += inserted.length();
        tracker.editMade();
        log.add(new Edit(marker, clock, made, window.contains(made), peers.length));
        send(ProtocolCodec.encode(new SyncUpdate(localUpdate)));
    }

    private void send(byte[] frame) {
        WebSocket socket = ws;
        outgoing = outgoing.thenCompose(v -> socket.sendBinary(ByteBuffer.wrap(frame), true));
        outgoing.exceptionally(e -> {
            if (!closing && sendFailed.compareAndSet(false, true)) {
                tracker.error("client " + index + ": send failed: " + e);
            }
            return null;
        });
    }

    // ---- receiving ----

    @Override
    public synchronized void onOpen(WebSocket webSocket) {
        ws = webSocket;
        send(ProtocolCodec.encode(SyncProtocol.syncStep1(doc)));
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] frame;
        synchronized (this) {
            byte[] part = new byte[data.remaining()];
            data.get(part);
            if (last && partial.size() == 0) {
                frame = part;
            } else {
                partial.writeBytes(part);
                frame = last ? partial.toByteArray() : null;
                if (last) {
                    partial.reset();
                }
            }
        }
        if (frame != null) {
            receive(frame);
        }
        webSocket.request(1);
        return null;
    }

    private synchronized void receive(byte[] frame) {
        long now = System.nanoTime();
        Message message;
        try {
            message = ProtocolCodec.decode(frame);
        } catch (ProtocolException e) {
            tracker.error("client " + index + ": undecodable frame from the server: " + e.getMessage());
            return;
        }
        if (message instanceof SyncMessage sync) {
            if (sync instanceof SyncUpdate && faults.drops(index, ++incomingUpdates)) {
                return;
            }
            List<SyncMessage> replies;
            try {
                replies = SyncProtocol.read(doc, sync, REMOTE);
            } catch (ProtocolException e) {
                tracker.error("client " + index + ": bad sync message from the server: " + e.getMessage());
                return;
            }
            for (SyncMessage reply : replies) {
                send(ProtocolCodec.encode(reply));
            }
            if (!(sync instanceof dev.quire.protocol.SyncStep1)) {
                noteArrivals(now);
            }
            if (sync instanceof SyncStep2) {
                synced.complete(null);
            }
        } else if (message instanceof Ack ack) {
            if (ack.clientId() == clientId && ack.clock() > ackedClock) {
                ackedClock = ack.clock();
                tracker.signal();
            }
        } else if (message instanceof ErrorMessage error) {
            tracker.error("client " + index + ": server error " + error.code() + ": " + error.message());
        } else if (message instanceof AuthPermissionDenied denied) {
            tracker.error("client " + index + ": permission denied: " + denied.reason());
        }
        // awareness, query-awareness and auth-ok need nothing from a client that shows no cursor
    }

    /** Which peers' edits this document now holds: each peer's edits are in clock order, so one pointer per peer. */
    private void noteArrivals(long now) {
        StateVector sv = doc.stateVector();
        for (int p = 0; p < peers.length; p++) {
            EditLog peerLog = peers[p].log;
            int have = sv.get(peers[p].clientId);
            int n = peerLog.count();
            int i = nextOfPeer[p];
            while (i < n && peerLog.get(i).endClock <= have) {
                if (peerLog.get(i).arrived(now)) {
                    tracker.editDelivered();
                }
                i++;
            }
            nextOfPeer[p] = i;
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        tracker.error("client " + index + ": unexpected text frame from the server");
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (!closing) {
            tracker.error("client " + index + ": server closed the connection: " + statusCode + " " + reason);
        }
        synced.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        if (!closing) {
            tracker.error("client " + index + ": connection error: " + error);
        }
        synced.completeExceptionally(error);
    }

    // ---- the end ----

    long ackedClock() {
        return ackedClock;
    }

    /** Whether the server has acked every edit so far. */
    boolean allAcked() {
        return ackedClock >= clock;
    }

    synchronized String text() {
        return text.toString();
    }

    synchronized boolean hasPending() {
        return doc.hasPending();
    }

    void close() {
        closing = true;
        synchronized (this) {
            WebSocket socket = ws;
            if (socket != null) {
                // after the last send: the JDK WebSocket refuses a send while another is outstanding
                outgoing = outgoing.exceptionally(e -> null)
                        .thenCompose(v -> socket.sendClose(WebSocket.NORMAL_CLOSURE, "bench done"))
                        .exceptionally(e -> null);
            }
        }
    }
}
