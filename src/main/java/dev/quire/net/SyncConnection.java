package dev.quire.net;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.protocol.Ack;
import dev.quire.protocol.AuthOk;
import dev.quire.protocol.AwarenessStates;
import dev.quire.protocol.AwarenessUpdate;
import dev.quire.protocol.Message;
import dev.quire.protocol.ProtocolCodec;
import dev.quire.protocol.ProtocolException;
import dev.quire.protocol.Renew;
import dev.quire.protocol.SyncProtocol;
import dev.quire.protocol.SyncStep1;
import dev.quire.protocol.SyncStep2;
import dev.quire.protocol.SyncUpdate;
import dev.quire.sync.ConnectionEffect;
import dev.quire.sync.ConnectionEvent;
import dev.quire.sync.ConnectionMachine;
import dev.quire.sync.ConnectionMachine.Snapshot;
import dev.quire.sync.ConnectionState;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.protocols.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One document's connection to the sync server: drives a {@link ConnectionMachine} with Java-WebSocket, the
 * session's tokens and an injected scheduler. Every event is handled on the scheduler's thread, one at a time, so
 * the machine's snapshot needs no lock; the document is touched under its own monitor ({@code synchronized (doc)}),
 * which local editors must hold too.
 *
 * <p>Every attempt asks {@link Tokens} for a token (forcing a refresh after a {@code TOKEN_EXPIRED} close); the
 * token travels in the {@code Authorization} header and is never logged. Heartbeats are Java-WebSocket's ping/pong
 * ({@link #HEARTBEAT_SECONDS}). Local updates go to the {@link Outbox} before they are sent; after each (re)connect
 * the outbox is replayed as one merged update, and the server's acks drop what they cover.
 */
public final class SyncConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SyncConnection.class);
    /** Ping interval; a link silent for 1.5 of these is taken for dead (issue 6: "within a few seconds"). */
    static final int HEARTBEAT_SECONDS = 2;
    /** The close reasons that mean the server refused the session's token outright. */
    private static final java.util.Set<String> SERVER_REFUSALS = java.util.Set.of("TOKEN_INVALID", "USER_NOT_FOUND",
            "AUTH_REQUIRED");
    /** How often presence is renewed and timed out (y-protocols awareness.js checks every 3 s). */
    static final int PRESENCE_CHECK_SECONDS = 3;
    /** The origin of updates applied from the server, so that they are not sent back. */
    private static final Object REMOTE = new Object();

    /** Where tokens come from: the session. */
    public interface Tokens {
        /**
         * A valid access token; completes exceptionally with {@link SessionOver} when the session has ended, with
         * anything else for a transient failure.
         *
         * @param rejected the token the server has just refused as expired (then a refresh is due whatever the
         *                 client's clock says: {@code Session.tokenAfterRejection}), or null
         */
        CompletableFuture<String> token(String rejected);

        /**
         * The server refused the session's token outright ({@code code}: TOKEN_INVALID, USER_NOT_FOUND,
         * AUTH_REQUIRED): the session is over, for every connection of it.
         */
        default void refused(String code) {
        }
    }

    /**
     * The document's local copy: where local updates wait until the server has them (the local store's outbox), and
     * where updates from the server are kept for offline use. {@link #local} runs in the editor's thread, inside the
     * document's update, and must have committed the update when it returns: only then is it sent. The other methods
     * run on the connection's threads.
     */
    public interface Outbox {
        /**
         * A local update: store it before it is sent; returns its place in the outbox (increasing), or 0 when it could
         * not be stored (the outbox reports why; the update is sent anyway, its best chance not to be lost).
         */
        long local(byte[] update);

        /** Everything still unacknowledged, as one update, to send after a (re)connect's sync; null for none. */
        Pending pending();

        /** The server has stored every update of {@code clientId} below {@code clock} (its ack). */
        void acknowledged(long clientId, long clock);

        /**
         * The server has stored every local update up to {@code seq}: it answered a sync step 1 sent after them on
         * the same socket, and it handles a socket's frames in order, closing it on any update it refuses. This is how
         * delete-only updates leave the outbox: they advance no clock, so no ack covers them.
         */
        void storedThrough(long seq);

        /** An update from the server, applied to the document; keep it (losing it costs a re-fetch, nothing more). */
        void received(byte[] update);

        /** The server's state vector as it announced it on connecting (its sync step 1): when, and how far, in sync. */
        default void serverState(byte[] stateVector) {
        }

        /** Unacknowledged local updates merged into one, and the last outbox place they include. */
        record Pending(byte[] update, long throughSeq) {
        }

        /** No outbox: updates are sent while connected and otherwise reach the server in the next sync exchange. */
        Outbox NONE = new Outbox() {
            @Override
            public long local(byte[] update) {
                return 0;
            }

            @Override
            public Pending pending() {
                return null;
            }

            @Override
            public void acknowledged(long clientId, long clock) {
            }

            @Override
            public void storedThrough(long seq) {
            }

            @Override
            public void received(byte[] update) {
            }
        };
    }

    /** The session has ended: no token will come. */
    public static final class SessionOver extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public SessionOver(String why) {
            super(why);
        }
    }

    private final URI url;
    private final String subprotocol;
    private final Doc doc;
    private final Outbox outbox;
    private final Tokens tokens;
    private final ScheduledExecutorService loop;
    private final Clock clock;
    private final ConnectionMachine machine;
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private final Runnable stopListening;
    private volatile boolean closed;
    /** Presence: this window's state and the others' (loop thread only); {@link #presence} is the published copy. */
    private final AwarenessStates awareness;
    private volatile Map<Long, String> presence = Map.of();
    private final List<Consumer<Map<Long, String>>> presenceListeners = new CopyOnWriteArrayList<>();
    private final ScheduledFuture<?> presenceTimer;

    // confined to the loop thread
    /** Written on the loop thread only; volatile for {@link #snapshot()} from any thread. */
    private volatile Snapshot snapshot = Snapshot.INITIAL;
    private String token;
    /** The token the current socket was opened with: what a TOKEN_EXPIRED close refers to. */
    private String lastUsed;
    private Client socket;
    private ScheduledFuture<?> retryTimer;
    private ScheduledFuture<?> stableTimer;
    /** The last outbox place sent on the current socket. */
    private long lastSentSeq;
    /** For each sync step 1 sent on the current socket, unanswered, the outbox place sent before it (FIFO). */
    private final ArrayDeque<Long> probes = new ArrayDeque<>();

    public SyncConnection(URI url, String subprotocol, Doc doc, Tokens tokens, ScheduledExecutorService loop,
                          Clock clock, ConnectionMachine machine) {
        this(url, subprotocol, doc, Outbox.NONE, tokens, loop, clock, machine);
    }

    public SyncConnection(URI url, String subprotocol, Doc doc, Outbox outbox, Tokens tokens,
                          ScheduledExecutorService loop, Clock clock, ConnectionMachine machine) {
        this.url = url;
        this.subprotocol = subprotocol;
        this.doc = doc;
        this.outbox = outbox;
        this.tokens = tokens;
        this.loop = loop;
        this.clock = clock;
        this.machine = machine;
        this.awareness = new AwarenessStates(doc.clientId(), clock);
        // Peers ignore a first state at clock 0 from a client they do not know (y-protocols keeps clock 0 for the
        // {} its Awareness starts with). Spend clock 0 here, announcing nothing, so the first real state has clock 1+.
        awareness.setLocalState("{}");
        awareness.setLocalState(null);
        // y-protocols' interval: renew the local state before others time it out, drop the states nobody renewed
        this.presenceTimer = loop.scheduleWithFixedDelay(this::maintainPresence, PRESENCE_CHECK_SECONDS,
                PRESENCE_CHECK_SECONDS, TimeUnit.SECONDS);
        this.stopListening = doc.onUpdate((update, origin, t) -> {
            if (origin != REMOTE) {
                localWrites.execute(() -> {
                    long seq = outbox.local(update); // committed before it can be sent
                    loop.execute(() -> sendLocal(update, seq));
                });
            }
        });
    }

    public void addListener(Consumer<Snapshot> listener) {
        listeners.add(listener);
    }

    /** The machine's latest snapshot (state, next retry, last close code and error). */
    public Snapshot snapshot() {
        return snapshot;
    }

    public void open() {
        post(new ConnectionEvent.Open());
    }

    /**
     * Sets this window's presence (awareness state: cursor, selection, colour) as JSON text, or removes it with null.
     * Sent now when connected, and on every (re)connect; the server stamps it with the signed-in user's id and name.
     */
    public void setPresence(String stateJson) {
        loop.execute(() -> {
            AwarenessUpdate update = awareness.setLocalState(stateJson);
            if (snapshot.state() == ConnectionState.CONNECTED) {
                sendIfConnected(update);
            }
        });
    }

    /** The other clients present on the document, client id → state (JSON text); empty while not connected. */
    public Map<Long, String> presence() {
        return presence;
    }

    /** Hears every visible change of {@link #presence()}, on no particular thread. */
    public void addPresenceListener(Consumer<Map<Long, String>> listener) {
        presenceListeners.add(listener);
    }

    public void retryNow() {
        post(new ConnectionEvent.RetryNow());
    }

    /**
     * Applies the server's updates to the document on {@code executor} instead of the socket's thread: a UI applies
     * them on its own thread, so its text and the document change in one order (call before {@link #open}).
     */
    public void applyRemoteOn(java.util.concurrent.Executor executor) {
        this.remoteOn = java.util.Objects.requireNonNull(executor);
    }

    private volatile java.util.concurrent.Executor remoteOn = Runnable::run;

    /**
     * Commits local edits to the outbox on {@code executor} (one thread, so in order) instead of the editing thread:
     * a UI thread then never waits for the disk. Each edit is still committed before it is sent (call before
     * {@link #open}).
     */
    public void writeLocalOn(java.util.concurrent.Executor executor) {
        this.localWrites = java.util.Objects.requireNonNull(executor);
    }

    private volatile java.util.concurrent.Executor localWrites = Runnable::run;

    /**
     * Hears whether the server lets this user only read the document: told on every connect (auth-ok) and whenever
     * the user's role changes on a live connection. On no particular thread.
     */
    public void addReadOnlyListener(Consumer<Boolean> listener) {
        readOnlyListeners.add(listener);
    }

    private final List<Consumer<Boolean>> readOnlyListeners = new CopyOnWriteArrayList<>();

    public void networkDown() {
        post(new ConnectionEvent.NetworkDown());
    }

    public void networkUp() {
        post(new ConnectionEvent.NetworkUp());
    }

    /**
     * In-band renewal (issue 5/6): hands a live connection the session's new access token, so that the server extends
     * it without a reconnect. Does nothing while not connected (the next attempt asks for a token anyway).
     */
    public void renew(String accessToken) {
        loop.execute(() -> {
            if (snapshot.state() == ConnectionState.CONNECTED) {
                sendIfConnected(new Renew(accessToken));
            }
        });
    }

    public void sessionEnded() {
        post(new ConnectionEvent.SessionEnded());
    }

    @Override
    public void close() {
        closed = true; // at once: frames still arriving on the socket's thread must not touch the outbox any more
        presenceTimer.cancel(false);
        loop.execute(() -> {
            if (awareness.localState().isPresent() && snapshot.state() == ConnectionState.CONNECTED) {
                sendIfConnected(awareness.setLocalState(null)); // the others' cursors for this window go at once
            }
        });
        post(new ConnectionEvent.Close());
        stopListening.run();
    }

    private void post(ConnectionEvent event) {
        loop.execute(() -> handle(event));
    }

    /** Events from a socket that is no longer the current one are dropped: its attempt is over. */
    private void postFrom(Client from, ConnectionEvent event) {
        runFrom(from, () -> handle(event));
    }

    /** Runs {@code work} on the loop if {@code from} is still the current socket by then. */
    private void runFrom(Client from, Runnable work) {
        loop.execute(() -> {
            if (from == socket) {
                work.run();
            }
        });
    }

    private void handle(ConnectionEvent event) {
        Snapshot before = snapshot;
        ConnectionMachine.Transition t = machine.next(before, event, clock.instant());
        snapshot = t.snapshot();
        for (ConnectionEffect effect : t.effects()) {
            run(effect);
        }
        if (before.state() == ConnectionState.CONNECTED && snapshot.state() != ConnectionState.CONNECTED) {
            // disconnected: nobody renews the others' states to us any more, and they will be resent on reconnect
            List<Long> others = new ArrayList<>(awareness.states().keySet());
            others.remove(awareness.localClientId());
            if (awareness.remove(others).isVisible()) {
                publishPresence();
            }
        }
        if (!before.equals(snapshot)) {
            for (Consumer<Snapshot> l : listeners) {
                l.accept(snapshot);
            }
        }
    }

    private void run(ConnectionEffect effect) {
        if (effect instanceof ConnectionEffect.RequestToken r) {
            tokens.token(r.forceRefresh() ? lastUsed : null).whenComplete((value, failure) -> loop.execute(() -> {
                if (failure == null) {
                    token = value;
                    handle(new ConnectionEvent.TokenReady());
                } else {
                    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                    handle(new ConnectionEvent.TokenFailed(cause instanceof SessionOver));
                }
            }));
        } else if (effect instanceof ConnectionEffect.Dial) {
            dial();
        } else if (effect instanceof ConnectionEffect.CloseSocket c) {
            if (socket != null) {
                socket.close(c.code(), c.reason());
                socket = null;
            }
        } else if (effect instanceof ConnectionEffect.ScheduleRetry r) {
            retryTimer = schedule(r.delay(), new ConnectionEvent.RetryTimerFired());
        } else if (effect instanceof ConnectionEffect.ScheduleStable st) {
            stableTimer = schedule(st.delay(), new ConnectionEvent.StableTimerFired());
        } else if (effect instanceof ConnectionEffect.CancelTimers) {
            cancel(retryTimer);
            cancel(stableTimer);
        } else if (effect instanceof ConnectionEffect.StartSync) {
            lastSentSeq = 0;
            probes.clear();
            sendStep1();
            // with a new clock: the server removed this state when the last socket closed and remembers its clock
            awareness.localState().ifPresent(state -> sendIfConnected(awareness.setLocalState(state)));
            Outbox.Pending queued = outbox.pending(); // replay: one merged update, dropped as acks cover it
            if (queued != null && sendIfConnected(new SyncUpdate(queued.update()))) {
                lastSentSeq = queued.throughSeq();
                sendStep1(); // its answer proves the replay stored, delete-only parts included
            }
        } else if (effect instanceof ConnectionEffect.ReportSessionEnded r) {
            log.atInfo().addKeyValue("url", url).addKeyValue("code", r.code()).log("the server refused the session");
            if (SERVER_REFUSALS.contains(r.code())) { // not when the session's own end closed this connection
                tokens.refused(r.code());
            }
        } else if (effect instanceof ConnectionEffect.ReportBug bug) {
            log.atError().addKeyValue("url", url).log(bug.what());
        }
    }

    private ScheduledFuture<?> schedule(Duration delay, ConnectionEvent event) {
        return loop.schedule(() -> handle(event), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    private void dial() {
        Client client = new Client(Map.of("Authorization", "Bearer " + token));
        lastUsed = token;
        token = null; // used once: the next attempt asks again
        socket = client;
        client.connect();
    }

    /** On the loop: sends a local update if connected; a delete-only one is followed by a probe (see storedThrough). */
    private void sendLocal(byte[] update, long seq) {
        if (snapshot.state() != ConnectionState.CONNECTED || !sendIfConnected(new SyncUpdate(update))) {
            return; // it waits in the outbox for the next (re)connect
        }
        lastSentSeq = Math.max(lastSentSeq, seq);
        if (isDeleteOnly(update) && probes.isEmpty()) {
            sendStep1();
        }
    }

    /** On the loop: a sync step 1, remembering which local updates went before it. */
    private void sendStep1() {
        Message step1;
        synchronized (doc) {
            step1 = SyncProtocol.syncStep1(doc);
        }
        if (sendIfConnected(step1)) {
            probes.add(lastSentSeq);
        }
    }

    /** On the loop: the server answered the oldest unanswered step 1 of the current socket. */
    private void step1Answered() {
        Long seq = probes.poll();
        if (seq != null && seq > 0) {
            outbox.storedThrough(seq);
        }
    }

    /** On the loop: an awareness update from the server. */
    private void presenceReceived(AwarenessUpdate update) {
        if (awareness.apply(update).isVisible()) {
            publishPresence();
        }
    }

    /** On the loop, every few seconds. */
    private void maintainPresence() {
        if (snapshot.state() == ConnectionState.CONNECTED) {
            awareness.renewLocalState().ifPresent(this::sendIfConnected);
        }
        if (awareness.removeOutdated().isVisible()) {
            publishPresence();
        }
    }

    private void publishPresence() {
        Map<Long, String> others = new LinkedHashMap<>(awareness.states());
        others.remove(awareness.localClientId());
        presence = Collections.unmodifiableMap(others);
        for (Consumer<Map<Long, String>> l : presenceListeners) {
            l.accept(presence);
        }
    }

    /** A v1 update whose struct section lists no client: it only deletes. */
    static boolean isDeleteOnly(byte[] update) {
        return update.length > 0 && update[0] == 0;
    }

    private boolean sendIfConnected(Message m) {
        Client s = socket;
        if (s != null && s.isOpen()) {
            s.send(ProtocolCodec.encode(m));
            return true;
        }
        return false;
    }

    /** Runs on Java-WebSocket's thread; hands everything that changes the machine to the loop. */
    private final class Client extends WebSocketClient {
        Client(Map<String, String> headers) {
            super(url, new Draft_6455(List.of(), List.of(new Protocol(subprotocol))), headers);
            // Java-WebSocket's own heartbeat: a ping every interval, and a close (1006) when no pong came for 1.5
            // intervals, which the machine treats as a dropped link
            setConnectionLostTimeout(HEARTBEAT_SECONDS);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            // authenticated only once the server's auth-ok arrives
        }

        @Override
        public void onMessage(String message) {
            close(1003, "BINARY_ONLY");
        }

        @Override
        public void onMessage(ByteBuffer bytes) {
            if (closed) {
                return;
            }
            byte[] frame = new byte[bytes.remaining()];
            bytes.get(frame);
            Message m;
            try {
                m = ProtocolCodec.decode(frame);
            } catch (ProtocolException e) {
                close(1007, e.kind().name());
                return;
            }
            if (m instanceof AuthOk ok) {
                readOnlyListeners.forEach(l -> l.accept(ok.readOnly()));
                postFrom(this, new ConnectionEvent.AuthOk());
                return;
            }
            if (m instanceof AwarenessUpdate update) {
                runFrom(this, () -> presenceReceived(update));
                return;
            }
            if (m instanceof Ack ack) {
                outbox.acknowledged(ack.clientId(), ack.clock());
                return;
            }
            if (m instanceof SyncStep1 s1) {
                synchronized (doc) {
                    send(ProtocolCodec.encode(SyncProtocol.syncStep2(doc, s1.stateVector())));
                }
                outbox.serverState(s1.stateVector());
                return;
            }
            byte[] remote = m instanceof SyncStep2 s2 ? s2.update() : m instanceof SyncUpdate u ? u.update() : null;
            if (remote == null) {
                return;
            }
            boolean step2 = m instanceof SyncStep2;
            Client self = this;
            remoteOn.execute(() -> {
                try {
                    synchronized (doc) {
                        Updates.applyUpdate(doc, remote, REMOTE);
                    }
                } catch (RuntimeException e) {
                    log.atWarn().addKeyValue("url", url).addKeyValue("error", e.toString())
                            .log("the server sent an update that cannot be applied");
                    self.close(1007, "INVALID_UPDATE");
                    return;
                }
                outbox.received(remote); // outside the document's lock: editors need not wait for the disk
                if (step2) {
                    runFrom(self, SyncConnection.this::step1Answered);
                }
            });
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            postFrom(this, new ConnectionEvent.SocketClosed(code, reason));
        }

        @Override
        public void onError(Exception ex) {
            log.atDebug().addKeyValue("url", url).addKeyValue("error", ex.toString()).log("socket error");
        }
    }
}
