package dev.quire.bench.load;

import dev.quire.server.sync.SyncServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Quire's reference server ({@code quire server}) as a child JVM, with authentication and durable acks on: one user
 * per document ({@code bench-0}, {@code bench-1}, …, added with {@code quire server user add}), each logging in with
 * a password grant and creating its document over the document API, and every client of a document connecting as that
 * document's user with {@code Authorization: Bearer} and the {@code quire.v1} subprotocol. Several users rather than
 * one, so that the server's per-user work (token verification, client id binding, awareness stamping) is exercised
 * as a team would exercise it; ten clients of one user on one document are one person's windows and devices.
 */
public final class QuireServerTarget implements Target {
    private static final String USER_PREFIX = "bench-";
    private static final String READY_PREFIX = "Quire server: ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String java;
    private final String classPath;
    private final List<String> jvmOptions;

    /**
     * @param java the java executable for the server's JVM
     * @param classPath a class path holding Quire and its libraries (the bench's own, in {@code quire bench sync})
     * @param jvmOptions options for the server's JVM (heap, GC)
     */
    public QuireServerTarget(String java, String classPath, List<String> jvmOptions) {
        this.java = java;
        this.classPath = classPath;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** The server in a JVM like the one running the bench (same java, same class path). */
    public static QuireServerTarget sameJvm(List<String> jvmOptions) {
        return new QuireServerTarget(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                System.getProperty("java.class.path"), jvmOptions);
    }

    @Override
    public String name() {
        return "quire";
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, "dev.quire.cli.Main"));
        command.addAll(List.of(args));
        return command;
    }

    @Override
    public Running start(int docs, Path workDir, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path data = workDir.resolve("data");
        List<String> passwords = new ArrayList<>();
        for (int d = 0; d < docs; d++) {
            String password = randomSecret();
            addUser(data, USER_PREFIX + d, password, workDir, remaining(deadline));
            passwords.add(password);
        }

        int port = ServerProcess.freePort();
        int syncPort = ServerProcess.freePort();
        // long-lived tokens: the load never renews, and an expiry close in the middle would count as lost edits
        ServerProcess process = ServerProcess.start("quire-server", command("server", "--port", Integer.toString(port),
                "--sync-port", Integer.toString(syncPort), "--data", data.toString(), "--access-ttl", "2h"),
                Map.of(), workDir, line -> line.startsWith(READY_PREFIX));
        try {
            process.awaitReady(remaining(deadline));
            URI base = URI.create("http://127.0.0.1:" + port);
            HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
            requireHealthy(http, base);
            String template = discover(http, base).path("sync_url_template").asText(null);
            if (template == null || !template.contains("{docId}")) {
                throw new IOException("GET /.well-known/quire has no sync_url_template with {docId}");
            }
            List<URI> syncUris = new ArrayList<>();
            List<String> tokens = new ArrayList<>();
            for (int d = 0; d < docs; d++) {
                String token = accessToken(http, base, USER_PREFIX + d, passwords.get(d));
                String id = createDoc(http, base, token, "bench-" + d);
                URI uri = URI.create(template.replace("{docId}", URLEncoder.encode(id, StandardCharsets.UTF_8)));
                LoadRun.requireLoopback(uri);
                syncUris.add(uri);
                tokens.add(token);
            }
            return new QuireRunning(process, base, syncUris, tokens);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.close();
            throw e;
        }
    }

    private static Duration remaining(long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new IOException("quire server was not ready in time");
        }
        return Duration.ofNanos(left);
    }

    /** {@code quire server user add --data DIR NAME}, password on stdin, before the server holds the data directory. */
    private void addUser(Path data, String name, String password, Path workDir, Duration timeout)
            throws IOException, InterruptedException {
        Path log = workDir.resolve("user-add.log");
        Process p = new ProcessBuilder(command("server", "user", "add", "--data", data.toString(), name))
                .directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try (OutputStream stdin = p.getOutputStream()) {
            stdin.write((password + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException("quire server user add did not finish in " + timeout);
        }
        if (p.exitValue() != 0) {
            throw new IOException("quire server user add " + name + " failed (exit " + p.exitValue() + "); see " + log);
        }
    }

    /** The ready line says the listeners are bound; /healthz says the storage is open too. */
    private static void requireHealthy(HttpClient http, URI base) throws IOException, InterruptedException {
        int status = http.send(HttpRequest.newBuilder(base.resolve("/healthz")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 200) {
            throw new IOException("GET /healthz answered " + status);
        }
    }

    /** RFC 6749 §4.3 password grant; the token never appears in a message. */
    private static String accessToken(HttpClient http, URI base, String user, String password)
            throws IOException, InterruptedException {
        String form = "grant_type=password&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/auth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("POST /auth/token answered " + response.statusCode());
        }
        String token = JSON.readTree(response.body()).path("access_token").asText(null);
        if (token == null) {
            throw new IOException("POST /auth/token answered without an access_token");
        }
        return token;
    }

    private static JsonNode discover(HttpClient http, URI base) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/.well-known/quire")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET /.well-known/quire answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    private static String createDoc(HttpClient http, URI base, String token, String title)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/docs"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("title", title).toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IOException("POST /docs answered " + response.statusCode() + ": " + response.body());
        }
        String id = JSON.readTree(response.body()).path("id").asText(null);
        if (id == null) {
            throw new IOException("POST /docs answered without an id");
        }
        return id;
    }

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static final class QuireRunning implements Running {
        private final ServerProcess process;
        private final URI base;
        private final List<URI> syncUris;
        private final List<String> tokens;

        QuireRunning(ServerProcess process, URI base, List<URI> syncUris, List<String> tokens) {
            this.process = process;
            this.base = base;
            this.syncUris = List.copyOf(syncUris);
            this.tokens = List.copyOf(tokens);
        }

        @Override
        public ServerProcess process() {
            return process;
        }

        @Override
        public URI syncUri(int doc) {
            return syncUris.get(doc);
        }

        @Override
        public Map<String, String> headers(int client, int doc) {
            return Map.of("Authorization", "Bearer " + tokens.get(doc));
        }

        @Override
        public List<String> subprotocols() {
            return List.of(SyncServer.SUBPROTOCOL);
        }

        @Override
        public boolean acks() {
            return true;
        }

        /** The server's receive-to-ack latency histogram from {@code GET /metrics}, whole run (warm-up included). */
        @Override
        public Optional<String> selfReport() {
            try {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        base.resolve("/metrics")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 ? AckHistogram.summary(r.body()) : Optional.empty();
            } catch (IOException e) {
                return Optional.of("server metrics unavailable: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }

        @Override
        public void close() {
            process.close();
        }

        @Override
        public String toString() {
            return "QuireRunning[pid " + process.pid() + ", " + syncUris.size() + " docs]"; // never a token
        }
    }
}
