package dev.quire.engine;

import static dev.quire.engine.EngineFixture.awaitDrained;
import static dev.quire.engine.EngineFixture.awaitState;
import static dev.quire.engine.EngineFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.server.auth.FileUserDirectory;
import dev.quire.server.auth.PasswordHasher;
import dev.quire.store.Profiles;
import dev.quire.sync.ConnectionState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6: {@code kill -9} of the server (a child JVM) while a client types; the client keeps typing into its outbox,
 * reconnects when the server is back on the same data and ports, replays, and the server ends with every edit once.
 */
class ServerKillReplayTest {
    private static final String PASSWORD = "typist-password-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theClientReplaysWhatTheKilledServerNeverAcknowledged() throws Exception {
        SecureRandom random = new SecureRandom();
        new FileUserDirectory(dir.resolve("server").resolve("users"), random).add("typist",
                new PasswordHasher(1000, random).hash(PASSWORD.toCharArray()));
        int port = freePortPair();
        String url = "http://127.0.0.1:" + port;
        Process server = startServer(port);
        ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
        ScheduledExecutorService typist = Executors.newSingleThreadScheduledExecutor();
        try {
            awaitStarted(server);
            HttpClient http = HttpClient.newHttpClient();
            ClientEngine.Environment env = new ClientEngine.Environment(http, loop, Clock.systemUTC(), new Random(4),
                    EngineFixture.FAST, p -> dev.quire.session.RefreshTokenVault.inProfile(p.directory()),
                    Duration.ofSeconds(10));
            try (ClientEngine engine = ClientEngine.connect(url, Profiles.at(dir.resolve("client")), env)
                    .get(30, TimeUnit.SECONDS)) {
                Account account = engine.signIn("typist", PASSWORD.toCharArray()).get(30, TimeUnit.SECONDS);
                String docId = createDocument(http, url, account.accessToken().get());
                OpenDocument d = account.open(docId);
                awaitState(d, ConnectionState.CONNECTED);

                AtomicInteger typed = new AtomicInteger();
                Random r = new Random(5);
                typist.scheduleAtFixedRate(() -> {
                    synchronized (d.doc()) {
                        var t = d.doc().getText("t");
                        t.insert(r.nextInt(t.length() + 1), "k");
                    }
                    typed.incrementAndGet();
                }, 0, 20, TimeUnit.MILLISECONDS);
                EngineFixture.await("edits to flow", () -> typed.get() >= 50);

                assertTrue(server.toHandle().destroyForcibly()); // SIGKILL while edits keep coming
                assertNotEquals(0, server.waitFor());
                awaitState(d, ConnectionState.RECONNECTING);
                int atKill = typed.get();
                EngineFixture.await("typing on while the server is gone", () -> typed.get() >= atKill + 50);
                assertTrue(d.status().queued() > 0, "edits wait in the outbox");

                server = startServer(port);
                awaitStarted(server);
                awaitState(d, ConnectionState.CONNECTED);
                typist.shutdown();
                assertTrue(typist.awaitTermination(10, TimeUnit.SECONDS));
                awaitDrained(d);
                String stored = serverText(http, url, account.accessToken().get(), docId);
                assertEquals(typed.get(), stored.length(), "every edit exactly once");
                assertEquals(text(d), stored);
            }
        } finally {
            typist.shutdownNow();
            loop.shutdownNow();
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A free port whose successor is free too (the server's sync port is HTTP + 1). */
    private static int freePortPair() throws IOException {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket a = new ServerSocket(0)) {
                int p = a.getLocalPort();
                if (p < 65535) {
                    try (ServerSocket b = new ServerSocket(p + 1)) {
                        return p;
                    } catch (IOException taken) {
                        // try another
                    }
                }
            }
        }
        throw new IOException("no free pair of ports");
    }

    private Process startServer(int port) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "dev.quire.cli.Main", "server", "--port",
                String.valueOf(port), "--data", dir.resolve("server").toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("server-stderr.log").toFile()))
                .start();
    }

    private static void awaitStarted(Process p) throws Exception {
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("Quire server: ")) {
                        started.complete(null);
                    }
                }
            } catch (IOException e) {
                // gone
            }
            started.completeExceptionally(new AssertionError("the server exited without starting"));
        }, "server-stdout");
        reader.setDaemon(true);
        reader.start();
        started.get(60, TimeUnit.SECONDS);
    }

    private static String createDocument(HttpClient http, String url, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/docs"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"typing\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    private static String serverText(HttpClient http, String url, String token, String docId) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url + "/docs/" + docId + "/export"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        Doc d = new Doc();
        Updates.applyUpdate(d, r.body(), null);
        return d.getText("t").toString();
    }
}
