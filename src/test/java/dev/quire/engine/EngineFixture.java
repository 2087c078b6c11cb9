package dev.quire.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.crdt.Doc;
import dev.quire.server.QuireServer;
import dev.quire.server.ServerConfig;
import dev.quire.store.Profiles;
import dev.quire.sync.Backoff;
import dev.quire.sync.ConnectionState;
import dev.quire.testing.TcpFaultProxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The real server on loopback with a fault proxy in front of each of its ports (HTTP and sync; discovery advertises
 * the proxies), users alice and bob, and client engines on their own data folders. Clients reach the server only
 * through the proxies, so a test can cut, refuse or black-hole either path.
 */
final class EngineFixture implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final char[] ALICE_PASSWORD = "alice-password-1".toCharArray();
    static final char[] BOB_PASSWORD = "bob-password-22".toCharArray();
    /** Short backoff, so that a restored link is used within a second (the real default is 0.5 s doubling to 30 s). */
    static final Backoff FAST = new Backoff(Duration.ofMillis(50), Duration.ofMillis(800));
    private static final ObjectMapper JSON = new ObjectMapper();

    final QuireServer server;
    final TcpFaultProxy httpProxy;
    final TcpFaultProxy syncProxy;
    final HttpClient http = HttpClient.newHttpClient();
    private final Path dir;
    private final Clock clock;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<ScheduledExecutorService> loops = new ArrayList<>();

    EngineFixture(Path dir, Clock clock, Duration accessTtl) throws Exception {
        this.dir = dir;
        this.clock = clock;
        this.httpProxy = new TcpFaultProxy();
        this.syncProxy = new TcpFaultProxy();
        server = QuireServer.start(ServerConfig.defaults(dir.resolve("server")).onFreePorts()
                .withPasswordIterations(1000).withTokenLifetimes(accessTtl, Duration.ofDays(30))
                .withPublicSyncUrl("ws://127.0.0.1:" + syncProxy.port()), clock);
        httpProxy.forwardTo(new InetSocketAddress("127.0.0.1", server.httpPort()));
        syncProxy.forwardTo(new InetSocketAddress("127.0.0.1", server.syncPort()));
        server.addUser("alice", ALICE_PASSWORD.clone());
        server.addUser("bob", BOB_PASSWORD.clone());
    }

    /** The URL a client is given: the HTTP proxy. */
    String serverUrl() {
        return "http://127.0.0.1:" + httpProxy.port();
    }

    /** An engine on its own data folder {@code name} (a machine, or one app's profiles). */
    ClientEngine engine(String name) throws Exception {
        return engine(name, FAST, new Random(name.hashCode()), () -> true);
    }

    /** An engine with its own backoff, jitter and view of the OS network (a fault: the test says when it is up). */
    ClientEngine engine(String name, Backoff backoff, java.util.random.RandomGenerator random,
                        java.util.function.BooleanSupplier network) throws Exception {
        ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
        loops.add(loop);
        ClientEngine.Environment env = new ClientEngine.Environment(http, loop, clock, random, backoff,
                p -> dev.quire.session.RefreshTokenVault.inProfile(p.directory()), Duration.ofSeconds(10), network);
        ClientEngine engine = ClientEngine.connect(serverUrl(), Profiles.at(dir.resolve("clients").resolve(name)), env)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        closeables.add(engine);
        return engine;
    }

    Account signIn(ClientEngine engine, String user) throws Exception {
        char[] password = (user.equals("alice") ? ALICE_PASSWORD : BOB_PASSWORD).clone();
        return engine.signIn(user, password).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** A new document of {@code owner}'s, made over HTTP (directly, not through the proxy). */
    String createDocument(String owner, String title) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.httpUrl().resolve("/docs"))
                .header("Authorization", "Bearer " + accessToken(owner)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(java.util.Map.of("title", title))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    void share(String owner, String docId, String with, String role) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.httpUrl().resolve("/docs/" + docId
                + "/shares/" + with)).header("Authorization", "Bearer " + accessToken(owner))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"role\":\"" + role + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    /** The ids of the documents the server lists for {@code owner} (directly, not through the proxy). */
    java.util.List<String> documentsOf(String owner) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.httpUrl().resolve("/docs"))
                .header("Authorization", "Bearer " + accessToken(owner)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        java.util.List<String> ids = new java.util.ArrayList<>();
        JSON.readTree(r.body()).get("documents").forEach(d -> ids.add(d.get("id").asText()));
        return ids;
    }

    /** The document as the server has it (its export, a Yjs update), read as text "t". */
    String serverText(String owner, String docId) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(server.httpUrl().resolve("/docs/" + docId
                + "/export")).header("Authorization", "Bearer " + accessToken(owner)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        Doc d = new Doc();
        dev.quire.crdt.Updates.applyUpdate(d, r.body(), null);
        return d.getText("t").toString();
    }

    String accessToken(String user) throws Exception {
        char[] password = (user.equals("alice") ? ALICE_PASSWORD : BOB_PASSWORD).clone();
        String body = "grant_type=password&username=" + user + "&password=" + new String(password);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.httpUrl().resolve("/auth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("access_token").asText();
    }

    // ---- waiting (on the engine's own signals, with a deadline) ----

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(WAIT, what, condition);
    }

    /** With a deadline of its own: for what must happen promptly, not merely eventually. */
    static void await(Duration within, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(5);
        }
        if (System.getenv("QUIRE_TRACE_WAITS") != null) {
            System.err.println("waited " + (System.nanoTime() - start) / 1_000_000 + " ms for " + what);
        }
    }

    static void awaitState(OpenDocument d, ConnectionState state) throws InterruptedException {
        awaitStatus(d, s -> s.connection().state() == state, "state " + state);
    }

    static DocumentStatus awaitStatus(OpenDocument d, Predicate<DocumentStatus> p, String what)
            throws InterruptedException {
        await(d.id() + ": " + what + " (now " + d.status() + ")", () -> p.test(d.status()));
        return d.status();
    }

    static void awaitDrained(OpenDocument d) throws Exception {
        d.drained().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    static String text(OpenDocument d) {
        synchronized (d.doc()) {
            return d.doc().getText("t").toString();
        }
    }

    static void awaitText(OpenDocument d, String expected) throws InterruptedException {
        await(d.id() + " to read " + abbreviate(expected) + " (has " + abbreviate(text(d)) + ")",
                () -> text(d).equals(expected));
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? "'" + s + "'" : "'" + s.substring(0, 60) + "…' (" + s.length() + " chars)";
    }

    /** Types {@code n} one-character inserts at random places; returns nothing (read the text back). */
    static void type(OpenDocument d, int n, Random random, char c) {
        for (int i = 0; i < n; i++) {
            synchronized (d.doc()) {
                var t = d.doc().getText("t");
                t.insert(random.nextInt(t.length() + 1), String.valueOf(c));
            }
        }
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        for (ScheduledExecutorService l : loops) {
            l.shutdownNow();
        }
        httpProxy.close();
        syncProxy.close();
        server.close();
    }
}
