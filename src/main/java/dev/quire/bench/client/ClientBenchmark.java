package dev.quire.bench.client;

import dev.quire.crdt.Doc;
import dev.quire.crdt.YText;
import dev.quire.engine.Account;
import dev.quire.engine.ClientEngine;
import dev.quire.engine.DocumentStatus;
import dev.quire.engine.OpenDocument;
import dev.quire.net.HttpTokenEndpoint;
import dev.quire.server.QuireServer;
import dev.quire.server.ServerConfig;
import dev.quire.session.RefreshTokenVault;
import dev.quire.session.Scheduler;
import dev.quire.session.Session;
import dev.quire.store.Profiles;
import dev.quire.sync.ConnectionState;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Measures what issue 6 asks, from one run: keystroke-to-durable latency (the edit committed to the outbox, and
 * acknowledged by the server), token refresh latency, the time from a reconnect to the server acknowledging a queue of
 * offline edits, and the reconnect itself after the server comes back.
 */
public final class ClientBenchmark {
    private static final String USER = "bench";
    private static final char[] PASSWORD = "bench-password-1".toCharArray();
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** 50 keystrokes a second: a fast typist. */
    private static final long KEYSTROKE_INTERVAL_MS = 20;

    /** How much of each: keystrokes timed one by one, refreshes, offline edits queued before the reconnect. */
    public record Config(int keystrokes, int refreshes, int queued, Path work) {
    }

    /** One line of the table; a peer of null has no floor to compare with. Times in milliseconds. */
    public record Row(String measure, double p50, double p99, String peer, double peerP50, double peerP99,
                      String target) {
        /** A row from raw timings (nanoseconds): their p50 and p99 and the peer's; {@code peerNanos} may be null. */
        public static Row of(String measure, long[] nanos, String peer, long[] peerNanos, String target) {
            return new Row(measure, percentileMs(nanos, 0.50), percentileMs(nanos, 0.99), peer,
                    peerNanos == null ? Double.NaN : percentileMs(peerNanos, 0.50),
                    peerNanos == null ? Double.NaN : percentileMs(peerNanos, 0.99), target);
        }
    }

    private ClientBenchmark() {
    }

    public static List<Row> run(Config config) throws Exception {
        List<Row> rows = new ArrayList<>();
        ServerConfig serverConfig = ServerConfig.defaults(config.work().resolve("server")).onFreePorts()
                .withPasswordIterations(10_000);
        QuireServer server = QuireServer.start(serverConfig, Clock.systemUTC());
        server.addUser(USER, PASSWORD.clone());
        ClientEngine.Environment env = ClientEngine.Environment.system().withVaultsInProfiles();
        try (ClientEngine engine = ClientEngine.connect(server.httpUrl().toString(),
                Profiles.at(config.work().resolve("client")), env).get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            Account account = engine.signIn(USER, PASSWORD.clone()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            String docId = createDocument(env, server.httpUrl(), account.accessToken().get());
            OpenDocument doc = account.open(docId);
            awaitStatus(doc, s -> s.connection().state() == ConnectionState.CONNECTED);

            progress("keystrokes: %d, one at a time", config.keystrokes());
            long[][] keys = keystrokes(doc, config.keystrokes());
            long[] floor = h2CommitFloor(config.work().resolve("floor"), config.keystrokes());
            rows.add(row("keystroke → committed to the outbox", keys[0], "bare H2 commit", floor, "p99 < 10 ms"));
            rows.add(row("keystroke → acknowledged by the server", keys[1], null, null, ""));

            progress("token refreshes: %d", config.refreshes());
            long[][] refresh = refreshes(env, engine, server.httpUrl(), config.refreshes());
            rows.add(row("token refresh (rotating, vault written)", refresh[0], "bare HTTP GET /healthz", refresh[1],
                    "p99 < 100 ms"));

            progress("offline queue: %d edits, then the server restarts", config.queued());
            int httpPort = server.httpPort();
            int syncPort = server.syncPort();
            server.close();
            awaitStatus(doc, s -> s.connection().state() != ConnectionState.CONNECTED);
            type(doc, config.queued(), new Random(2));
            awaitStatus(doc, s -> s.queued() >= config.queued());
            server = QuireServer.start(serverConfig.withPorts(httpPort, syncPort), Clock.systemUTC());
            long back = System.nanoTime();
            doc.retryNow(); // as when the OS reports the network back
            awaitStatus(doc, s -> s.connection().state() == ConnectionState.CONNECTED);
            long connected = System.nanoTime();
            doc.drained().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            long drained = System.nanoTime();
            rows.add(row("server back → connected (retry now)", new long[] {connected - back}, null, null, ""));
            rows.add(row("connected → " + config.queued() + " queued edits acknowledged",
                    new long[] {drained - connected}, null, null, "< 1 s"));
            doc.close();
            account.close();
        } finally {
            server.close();
            env.loop().shutdownNow();
        }
        return rows;
    }

    /**
     * [0]: insert until committed to the outbox; [1]: until the server's ack took it out again. One keystroke every
     * {@link #KEYSTROKE_INTERVAL_MS} (a fast typist; also under the server's per-connection rate limit).
     */
    private static long[][] keystrokes(OpenDocument doc, int n) throws Exception {
        long[] local = new long[n];
        long[] acked = new long[n];
        Random random = new Random(1);
        long next = System.nanoTime();
        for (int i = 0; i < n; i++) {
            next += TimeUnit.MILLISECONDS.toNanos(KEYSTROKE_INTERVAL_MS);
            long t0 = System.nanoTime();
            synchronized (doc.doc()) {
                YText t = doc.doc().getText("t");
                t.insert(random.nextInt(t.length() + 1), "k");
            }
            local[i] = System.nanoTime() - t0;
            doc.drained().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            acked[i] = System.nanoTime() - t0;
            LockSupport.parkNanos(next - System.nanoTime()); // the typist's pace
        }
        return new long[][] {local, acked};
    }

    /** The same number of one-row commits of an update-sized row into a bare H2 file with Quire's durability. */
    private static long[] h2CommitFloor(Path dir, int n) throws SQLException {
        long[] out = new long[n];
        byte[] body = new byte[24];
        try (Connection c = DriverManager.getConnection("jdbc:h2:" + dir.toAbsolutePath().resolve("floor")
                + ";WRITE_DELAY=0")) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS t (id BIGINT PRIMARY KEY, body VARBINARY)");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    ps.setLong(1, i);
                    ps.setBytes(2, body);
                    ps.executeUpdate();
                    c.commit();
                    out[i] = System.nanoTime() - t0;
                }
            }
        }
        return out;
    }

    /** [0]: forced refreshes of a session of its own (same endpoint, file vault); [1]: GET /healthz, the floor. */
    private static long[][] refreshes(ClientEngine.Environment env, ClientEngine engine, URI http, int n)
            throws Exception {
        Session session = Session.login(new Session.Services(HttpTokenEndpoint.of(env.http(), engine.endpoints(),
                        env.requestTimeout()), RefreshTokenVault.inProfile(Path.of(System.getProperty("java.io.tmpdir"))
                        .resolve("quire-bench-vault-" + ProcessHandle.current().pid())), Scheduler.of(env.loop()),
                        env.clock()), USER, PASSWORD.clone()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        long[] refresh = new long[n];
        long[] floor = new long[n];
        HttpRequest health = HttpRequest.newBuilder(http.resolve("/healthz")).GET().build();
        try {
            for (int i = 0; i < n; i++) {
                String current = session.accessToken().get().value();
                long t0 = System.nanoTime();
                session.tokenAfterRejection(current).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                refresh[i] = System.nanoTime() - t0;
                long t1 = System.nanoTime();
                env.http().send(health, HttpResponse.BodyHandlers.discarding());
                floor[i] = System.nanoTime() - t1;
            }
        } finally {
            session.logout().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        return new long[][] {refresh, floor};
    }

    private static void type(OpenDocument doc, int n, Random random) {
        for (int i = 0; i < n; i++) {
            synchronized (doc.doc()) {
                YText t = doc.doc().getText("t");
                t.insert(random.nextInt(t.length() + 1), "q");
            }
        }
    }

    private static String createDocument(ClientEngine.Environment env, URI http, String token) throws Exception {
        HttpResponse<String> r = env.http().send(HttpRequest.newBuilder(http.resolve("/docs"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"bench\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("could not create the bench document: HTTP " + r.statusCode());
        }
        return r.body().replaceAll(".*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }

    private static void awaitStatus(OpenDocument doc, Predicate<DocumentStatus> p) throws Exception {
        doc.when(p).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static Row row(String measure, long[] nanos, String peer, long[] peerNanos, String target) {
        return Row.of(measure, nanos, peer, peerNanos, target);
    }

    /** Nearest rank, in milliseconds: the smallest timing with at least {@code p} of them at or below it. */
    public static double percentileMs(long[] nanos, double p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    /** A Markdown table: each measure, its peer where it has one, the ratio of the p99s, the target. */
    public static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder("| measure | p50 ms | p99 ms | floor | floor p50 ms | floor p99 ms"
                + " | p99 ratio | target |\n|---|---:|---:|---|---:|---:|---:|---|\n");
        for (Row r : rows) {
            boolean peer = r.peer() != null;
            out.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %s | %s | %s | %s | %s |%n", r.measure(),
                    r.p50(), r.p99(), peer ? r.peer() : "", peer ? fmt(r.peerP50()) : "",
                    peer ? fmt(r.peerP99()) : "", peer ? fmt(r.p99() / r.peerP99()) + "×" : "", r.target()));
        }
        return out.toString();
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }

    private static void progress(String format, Object... args) {
        System.err.printf("bench client: " + format + "%n", args);
    }
}
