package dev.quire.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.crdt.Doc;
import dev.quire.server.QuireServer;
import dev.quire.server.ServerConfig;
import dev.quire.store.LocalStore;
import dev.quire.sync.Backoff;
import dev.quire.sync.ConnectionMachine;
import dev.quire.sync.ConnectionMachine.Snapshot;
import dev.quire.sync.ConnectionState;
import dev.quire.testing.TcpFaultProxy;
import dev.quire.testing.TestClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java-WebSocket adapter of the connection machine against the real server on loopback. */
class SyncConnectionTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final char[] PASSWORD = "alice-password-1".toCharArray();

    @TempDir
    Path dir;
    private final TestClock serverClock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    private QuireServer server;
    private HttpTokenEndpoint endpoint;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger forcedRefreshes = new AtomicInteger();

    @BeforeEach
    void start() {
        server = QuireServer.start(ServerConfig.defaults(dir).onFreePorts().withPasswordIterations(1000)
                .withTokenLifetimes(Duration.ofMinutes(15), Duration.ofDays(30)), serverClock);
        server.addUser("alice", PASSWORD.clone());
        endpoint = new HttpTokenEndpoint(http, server.httpUrl().resolve("/auth/token"),
                server.httpUrl().resolve("/auth/revoke"), Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        loop.shutdownNow();
        server.close();
    }

    /**
     * The session's part, reduced to a fresh password grant per request (a session would refresh, single flight;
     * two windows refreshing with one rotating refresh token on their own would revoke it).
     */
    private CompletableFuture<String> token(String rejected) {
        if (rejected != null) {
            forcedRefreshes.incrementAndGet();
        }
        return endpoint.password("alice", PASSWORD.clone()).thenApply(dev.quire.session.TokenGrant::accessToken);
    }

    private String createDoc() throws Exception {
        String access = token(null).get(10, TimeUnit.SECONDS);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.httpUrl().resolve("/docs"))
                .header("Authorization", "Bearer " + access).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"t\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return r.body().replaceAll(".*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }

    private SyncConnection connection(String docId, Doc doc, LinkedBlockingQueue<Snapshot> states) {
        return connection(server.syncUrl(), docId, doc, states);
    }

    private SyncConnection connection(URI base, String docId, Doc doc, LinkedBlockingQueue<Snapshot> states) {
        URI url = URI.create(base + "/sync/" + URLEncoder.encode(docId, StandardCharsets.UTF_8));
        SyncConnection c = new SyncConnection(url, "quire.v1", doc, this::token, loop, Clock.systemUTC(),
                new ConnectionMachine(Backoff.DEFAULT, new SplittableRandom(3)));
        c.addListener(states::add);
        return c;
    }

    private static Snapshot await(LinkedBlockingQueue<Snapshot> states, Predicate<Snapshot> p) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Snapshot s = states.poll(100, TimeUnit.MILLISECONDS);
            if (s != null && p.test(s)) {
                return s;
            }
        }
        throw new AssertionError("no such state within " + WAIT);
    }

    private static void awaitText(Doc doc, String text) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (doc) {
            while (!doc.getText("t").toString().equals(text)) {
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, "text is '" + doc.getText("t") + "', not '" + text + "'");
                doc.wait(50);
            }
        }
    }

    @Test
    void twoWindowsConnectAndSeeEachOthersEdits() throws Exception {
        String docId = createDoc();
        Doc a = new Doc();
        Doc b = new Doc();
        LinkedBlockingQueue<Snapshot> sa = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<Snapshot> sb = new LinkedBlockingQueue<>();
        try (SyncConnection ca = connection(docId, a, sa); SyncConnection cb = connection(docId, b, sb)) {
            ca.open();
            cb.open();
            await(sa, s -> s.state() == ConnectionState.CONNECTED);
            await(sb, s -> s.state() == ConnectionState.CONNECTED);
            synchronized (a) {
                a.getText("t").insert(0, "hello");
            }
            awaitText(b, "hello");
            synchronized (b) {
                b.getText("t").insert(5, " world");
            }
            awaitText(a, "hello world");
        }
    }

    @Test
    void aServerCloseForExpiryRefreshesAndReconnectsAtOnce() throws Exception {
        String docId = createDoc();
        Doc a = new Doc();
        LinkedBlockingQueue<Snapshot> sa = new LinkedBlockingQueue<>();
        try (SyncConnection ca = connection(docId, a, sa)) {
            ca.open();
            await(sa, s -> s.state() == ConnectionState.CONNECTED);
            serverClock.advance(Duration.ofMinutes(16)); // the server's sweep closes it: TOKEN_EXPIRED
            Snapshot after = await(sa, s -> s.lastError().filter("TOKEN_EXPIRED"::equals).isPresent());
            assertEquals(1008, after.lastCloseCode());
            await(sa, s -> s.state() == ConnectionState.CONNECTED);
            assertEquals(1, forcedRefreshes.get(), "one forced refresh, then straight back");
            synchronized (a) {
                a.getText("t").insert(0, "still here");
            }
            Doc b = new Doc();
            LinkedBlockingQueue<Snapshot> sb = new LinkedBlockingQueue<>();
            try (SyncConnection cb = connection(docId, b, sb)) {
                cb.open();
                awaitText(b, "still here");
            }
        }
    }

    @Test
    void aDeadLinkIsNoticedByTheHeartbeatAndTheConnectionComesBackThroughTheSameProxy() throws Exception {
        String docId = createDoc();
        URI sync = server.syncUrl();
        try (TcpFaultProxy proxy = new TcpFaultProxy(new InetSocketAddress(sync.getHost(), sync.getPort()))) {
            URI viaProxy = URI.create("ws://" + sync.getHost() + ":" + proxy.port());
            Doc a = new Doc();
            LinkedBlockingQueue<Snapshot> sa = new LinkedBlockingQueue<>();
            try (SyncConnection ca = connection(viaProxy, docId, a, sa)) {
                ca.open();
                await(sa, s -> s.state() == ConnectionState.CONNECTED);

                proxy.blackHole(true); // nothing passes, nothing closes: only a heartbeat can tell
                long before = System.nanoTime();
                await(sa, s -> s.state() == ConnectionState.RECONNECTING);
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - before);
                assertTrue(seconds <= 3 * SyncConnection.HEARTBEAT_SECONDS, "noticed after " + seconds + " s");

                proxy.blackHole(false);
                proxy.cutAll(); // the old, silent connection goes; new ones pass
                synchronized (a) {
                    a.getText("t").insert(0, "typed while the link was dead");
                }
                await(sa, s -> s.state() == ConnectionState.CONNECTED);
                Doc b = new Doc();
                LinkedBlockingQueue<Snapshot> sb = new LinkedBlockingQueue<>();
                try (SyncConnection cb = connection(docId, b, sb)) {
                    cb.open();
                    awaitText(b, "typed while the link was dead");
                }
            }
        }
    }

    @Test
    void renewingOnTheLiveConnectionKeepsItPastTheFirstTokensExpiry() throws Exception {
        String docId = createDoc();
        Doc a = new Doc();
        LinkedBlockingQueue<Snapshot> sa = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<Snapshot> sControl = new LinkedBlockingQueue<>();
        try (SyncConnection ca = connection(docId, a, sa);
             SyncConnection control = connection(docId, new Doc(), sControl)) {
            ca.open();
            control.open(); // the same kind of token, never renewed
            await(sa, s -> s.state() == ConnectionState.CONNECTED);
            await(sControl, s -> s.state() == ConnectionState.CONNECTED);
            serverClock.advance(Duration.ofMinutes(10));
            ca.renew(token(null).get(10, TimeUnit.SECONDS)); // valid until minute 25 of the server's clock

            serverClock.advance(Duration.ofMinutes(6)); // past the first tokens' expiry (minute 15)
            await(sControl, s -> s.lastError().filter("TOKEN_EXPIRED"::equals).isPresent()); // a sweep ran
            assertEquals(ConnectionState.CONNECTED, ca.snapshot().state());
            assertEquals(0, ca.snapshot().lastCloseCode(), "the renewed connection was never closed");

            synchronized (a) {
                a.getText("t").insert(0, "still live");
            }
            Doc b = new Doc();
            try (SyncConnection cb = connection(docId, b, new LinkedBlockingQueue<>())) {
                cb.open();
                awaitText(b, "still live");
            }
        }
    }

    @Test
    void editsTypedOfflineWaitInTheLocalStoresOutboxAndLeaveItOnlyOnceTheServerAcknowledgesThem() throws Exception {
        String docId = createDoc();
        try (LocalStore store = LocalStore.open(dir.resolve("profile"), Clock.systemUTC())) {
            SyncConnection.Outbox outbox = new SyncConnection.Outbox() {
                @Override
                public long local(byte[] update) {
                    return store.appendLocal(docId, "alice", update).seq();
                }

                @Override
                public Pending pending() {
                    return store.mergedOutbox(docId, "alice").map(m -> new Pending(m.update(), m.lastSeq()))
                            .orElse(null);
                }

                @Override
                public void acknowledged(long clientId, long clock) {
                    store.acknowledged(docId, clientId, clock);
                }

                @Override
                public void storedThrough(long seq) {
                    store.acknowledgedThrough(docId, "alice", seq);
                }

                @Override
                public void received(byte[] update) {
                    store.appendRemote(docId, update);
                }
            };
            Doc a = new Doc();
            LinkedBlockingQueue<Snapshot> sa = new LinkedBlockingQueue<>();
            URI url = URI.create(server.syncUrl() + "/sync/" + URLEncoder.encode(docId, StandardCharsets.UTF_8));
            try (SyncConnection ca = new SyncConnection(url, "quire.v1", a, outbox, this::token, loop,
                    Clock.systemUTC(), new ConnectionMachine(Backoff.DEFAULT, new SplittableRandom(5)))) {
                ca.addListener(sa::add);
                ca.open();
                await(sa, s -> s.state() == ConnectionState.CONNECTED);
                ca.networkDown();
                await(sa, s -> s.state() == ConnectionState.OFFLINE);

                StringBuilder typed = new StringBuilder();
                for (int i = 0; i < 200; i++) {
                    synchronized (a) {
                        a.getText("t").insert(typed.length(), "x");
                    }
                    typed.append('x');
                }
                assertEquals(200, store.pending(docId, "alice").size(), "every offline edit is in the outbox");

                ca.networkUp();
                await(sa, s -> s.state() == ConnectionState.CONNECTED);
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!store.pending(docId, "alice").isEmpty()) {
                    assertTrue(System.nanoTime() < deadline, store.pending(docId, "alice").size() + " still queued");
                    java.util.concurrent.locks.LockSupport.parkNanos(2_000_000); // polling the store: it has no listener
                }
                Doc b = new Doc();
                try (SyncConnection cb = connection(docId, b, new LinkedBlockingQueue<>())) {
                    cb.open();
                    awaitText(b, typed.toString());
                }
            }
        }
    }
}
