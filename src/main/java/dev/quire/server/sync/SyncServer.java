package dev.quire.server.sync;

import dev.quire.server.access.DocumentAccess;
import dev.quire.server.auth.Tickets;
import dev.quire.server.auth.TokenVerifier;
import dev.quire.server.storage.DocumentStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.protocols.Protocol;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quire's sync endpoint, {@code ws://HOST:PORT/sync/{docId}}, on Java-WebSocket: authenticated connections, rooms per
 * document, durable acks. See the package documentation for the protocol; this class only adapts the socket
 * library's callbacks to the sync logic and owns the threads.
 *
 * <pre>
 * SyncServer server = new SyncServer(new InetSocketAddress("127.0.0.1", 0), verifier, tickets, access, store,
 *         clock, scheduler, registry, SyncServerConfig.defaults());
 * server.start();            // bound when it returns
 * int port = server.port();
 * ...
 * server.close();
 * </pre>
 *
 * <p>The server does not own the store, the scheduler or the registry: closing it leaves them to the caller.
 */
public final class SyncServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SyncServer.class);

    /**
     * The WebSocket subprotocol ({@code Sec-WebSocket-Protocol}) a client asks for to receive Quire's own messages
     * (auth-ok, ack, error) and to renew in band. Clients that ask for none (stock y-websocket) speak plain
     * y-protocols.
     */
    public static final String SUBPROTOCOL = "quire.v1";

    private final Endpoint endpoint;
    private final SyncService service;
    private final ExecutorService pool;
    private final ScheduledExecutorService scheduler;
    private final SyncServerConfig config;
    private final Clock clock;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Exception startFailure;
    private ScheduledFuture<?> sweeper;

    public SyncServer(InetSocketAddress address, TokenVerifier verifier, Tickets tickets, DocumentAccess access,
                      DocumentStore store, Clock clock, ScheduledExecutorService scheduler, MeterRegistry registry,
                      SyncServerConfig config) {
        Objects.requireNonNull(address, "address");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        if (!config.devMode()) {
            Objects.requireNonNull(verifier, "verifier");
            Objects.requireNonNull(tickets, "tickets");
        }
        this.pool = Executors.newFixedThreadPool(config.workerThreads(), threads("quire-sync-doc-"));
        SyncService.Shared shared = new SyncService.Shared(Objects.requireNonNull(store, "store"),
                Objects.requireNonNull(access, "access"), new Authenticator(verifier, tickets, config.devMode()),
                clock, new SyncMetrics(Objects.requireNonNull(registry, "registry")), config);
        this.service = new SyncService(shared, pool);
        this.endpoint = new Endpoint(address, config.maxFrameBytes());
    }

    /** Binds and starts serving; returns once the port is bound. */
    public void start() {
        endpoint.start();
        try {
            if (!started.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the sync server did not start within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the sync server", e);
        }
        if (startFailure != null) {
            pool.shutdownNow();
            throw new IllegalStateException("could not start the sync server on " + endpoint.getAddress() + ": "
                    + startFailure.getMessage(), startFailure);
        }
        long every = config.sweepInterval().toMillis();
        sweeper = scheduler.scheduleAtFixedRate(this::sweep, every, every, TimeUnit.MILLISECONDS);
        log.atInfo().addKeyValue("port", port()).addKeyValue("dev", config.devMode()).log("sync server started");
    }

    /** The bound port (useful after binding port 0). */
    public int port() {
        return endpoint.getPort();
    }

    /**
     * Relays an update that was stored outside a sync connection (an HTTP import) to the document's connections.
     * Call it after {@link DocumentStore#appendUpdate} returned.
     */
    public void documentUpdated(String docId, byte[] update) {
        service.externalUpdate(docId, update.clone());
    }

    /**
     * Re-checks the roles of a document's connections: those who lost access (unshared, or the document deleted)
     * are closed with 1008 {@code FORBIDDEN}; a changed role takes effect for their next update.
     */
    public void accessChanged(String docId) {
        service.recheckAccess(docId);
    }

    /** Closes every connection (1001 going away) and stops the server's threads. */
    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        try {
            endpoint.stop(5_000, "server shutting down");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.nio.channels.ClosedSelectorException e) {
            // Java-WebSocket's stop() writes a close frame to each connection, which asks the selector for write
            // interest; when its selector thread has already ended (and closed the selector and, with it, every
            // channel) that throws. Nothing is left open then: the close carries on (seen once in CI).
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void sweep() {
        try {
            service.sweep();
        } catch (RuntimeException e) {
            log.atError().setCause(e).log("sweep failed"); // a thrown exception would cancel the periodic task
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Java-WebSocket's server, kept private so that its many public methods are not the sync server's API. */
    private final class Endpoint extends WebSocketServer {
        Endpoint(InetSocketAddress address, int maxFrameBytes) {
            // Offer Quire's subprotocol, and accept clients that ask for none (the empty Protocol matches anything):
            // RFC 6455 §4.2.2, the server echoes the one it picked. The library enforces the frame limit itself,
            // also across fragments, and closes with 1009.
            super(address, List.of(new Draft_6455(List.of(),
                    List.of(new Protocol(SUBPROTOCOL), new Protocol("")), maxFrameBytes)));
            setReuseAddr(true);
            setTcpNoDelay(true); // small frames (keystrokes) must not wait for Nagle
            setConnectionLostTimeout(0); // heartbeats run on the injected clock and scheduler instead (Room.sweep)
            setDaemon(true);
        }

        @Override
        public void onStart() {
            started.countDown();
        }

        @Override
        public void onOpen(WebSocket ws, ClientHandshake handshake) {
            var request = ConnectRequest.parse(handshake.getResourceDescriptor(), handshake.getFieldValue("Authorization"));
            if (request.isEmpty()) {
                // closed from another thread, as every refusal is: a close from inside onOpen reached the client
                // as 1006 in tests (before the library had finished opening the socket)
                pool.execute(() -> ws.close(CloseCodes.POLICY_VIOLATION, CloseCodes.NOT_FOUND));
                return;
            }
            boolean quire = ws.getProtocol() != null && SUBPROTOCOL.equals(ws.getProtocol().getProvidedProtocol());
            ws.setAttachment(service.opened(new WsLink(ws, quire, scheduler), request.get()));
        }

        @Override
        public void onMessage(WebSocket ws, ByteBuffer message) {
            Connection c = ws.getAttachment();
            if (c != null) {
                byte[] frame = new byte[message.remaining()];
                message.get(frame);
                service.received(c, frame);
            }
        }

        @Override
        public void onMessage(WebSocket ws, String message) {
            Connection c = ws.getAttachment();
            if (c != null) {
                service.receivedText(c);
            }
        }

        @Override
        public void onWebsocketPong(WebSocket ws, Framedata f) {
            Connection c = ws.getAttachment();
            if (c != null) {
                service.pong(c);
            }
        }

        @Override
        public void onClose(WebSocket ws, int code, String reason, boolean remote) {
            Connection c = ws.getAttachment();
            if (c != null) {
                service.closed(c, code, reason);
            }
        }

        @Override
        public void onError(WebSocket ws, Exception e) {
            if (ws == null) {
                startFailure = e; // binding failed: the server thread ends
                started.countDown();
                return;
            }
            Connection c = ws.getAttachment();
            log.atWarn().addKeyValue("conn", c == null ? null : c.id).addKeyValue("error", e.toString())
                    .log("socket error");
        }
    }

    /** A Java-WebSocket socket as a {@link Link}. */
    private record WsLink(WebSocket ws, boolean quire, ScheduledExecutorService scheduler) implements Link {
        /** How long a closed client has to answer the close frame before its TCP connection is dropped. */
        static final long CLOSE_TIMEOUT_MILLIS = 5_000;

        @Override
        public void send(byte[] frame) {
            try {
                ws.send(frame);
            } catch (WebsocketNotConnectedException e) {
                // closed meanwhile; its close callback cleans up
            }
        }

        /**
         * Java-WebSocket's server drops the TCP connection as soon as its close frame is written, without waiting for
         * the client's (SocketChannelIOHelper.batch). A client that is still sending (a stock provider sends sync
         * step 1 right on open; a flooder has frames in flight) then gets a RST, and its TCP stack may discard the
         * close frame unread: it reports 1006 and never learns the code, which for a refusal is all a browser can
         * learn. So the close frame goes out as a plain frame and the library ends the connection once the client
         * answers it (a remote close); a client that never answers is dropped after {@link #CLOSE_TIMEOUT_MILLIS}.
         */
        @Override
        public void close(int code, String reason) {
            CloseFrame frame = new CloseFrame();
            frame.setCode(code);
            frame.setReason(reason);
            try {
                ws.sendFrame(frame);
            } catch (WebsocketNotConnectedException e) {
                return; // closed meanwhile; its close callback cleans up
            }
            try {
                scheduler.schedule(() -> {
                    if (!ws.isClosed()) {
                        ws.closeConnection(code, reason);
                    }
                }, CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                ws.closeConnection(code, reason); // shutting down: no time to wait for the answer
            }
        }

        @Override
        public void abort(String reason) {
            ws.closeConnection(CloseCodes.ABNORMAL, reason);
        }

        @Override
        public void ping() {
            try {
                ws.sendPing();
            } catch (WebsocketNotConnectedException e) {
                // closed meanwhile
            }
        }
    }
}
