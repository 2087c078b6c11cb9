package dev.quire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.engine.OpenDocument;
import dev.quire.server.QuireServer;
import dev.quire.server.ServerConfig;
import dev.quire.store.LocalStore;
import dev.quire.store.Profile;
import dev.quire.store.Profiles;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code quire client} against the real server on loopback: JSON lines, the summary, kill -9 and a bad password. */
class ClientCommandTest {
    private static final String PASSWORD = "alice-password-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private QuireServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private String docId;

    @BeforeEach
    void start() throws Exception {
        server = QuireServer.start(ServerConfig.defaults(dir.resolve("server")).onFreePorts()
                .withPasswordIterations(1000), Clock.systemUTC());
        server.addUser("alice", PASSWORD.toCharArray());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.httpUrl().resolve("/docs"))
                .header("Authorization", "Bearer " + token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"cli\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        docId = JSON.readTree(r.body()).get("id").asText();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void typesReportsAndSummarizesAndASecondRunPrintsTheSameText() throws Exception {
        Run typing = runInProcess("--type", "50", "--duration", "2s", "--print");
        assertEquals(0, typing.exit, typing.lines.toString());
        assertTrue(typing.lines.stream().anyMatch(l -> l.path("event").asText().equals("state")
                && l.path("state").asText().equals("CONNECTED")), typing.lines.toString());
        JsonNode summary = typing.last("summary");
        int typed = summary.get("typed").asInt();
        assertTrue(typed >= 50, "typed " + typed);
        assertEquals(typed, summary.get("acked").asInt());
        assertEquals(0, summary.get("queued").asInt());
        assertEquals(0, summary.get("expiryCloses").asInt());
        String text = typing.last("text").get("text").asText();
        assertEquals(typed, text.length());
        assertEquals(text, serverText());

        Run reading = runInProcess("--print");
        assertEquals(0, reading.exit);
        assertEquals(0, reading.last("summary").get("typed").asInt());
        assertEquals(text, reading.last("text").get("text").asText());
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void everyEditCommittedBeforeAKillDashNineIsDeliveredByTheNextRun() throws Exception {
        Path data = dir.resolve("data");
        Process child = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
                "dev.quire.cli.Main", "client", "--server", server.httpUrl().toString(), "--user", "alice",
                "--doc", docId, "--data", data.toString(), "--type", "100")
                .redirectError(dir.resolve("child-stderr.log").toFile()).start();
        child.getOutputStream().write((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
        child.getOutputStream().flush(); // stdin stays open: the client types until killed
        try {
            awaitLine(child.getInputStream(), "\"state\":\"CONNECTED\"");
            // let it type for a while: the edits in flight when it dies are the point
            child.waitFor(1500, TimeUnit.MILLISECONDS);
        } finally {
            assertTrue(child.toHandle().destroyForcibly()); // SIGKILL: no hook, no drain, no summary
            child.waitFor(10, TimeUnit.SECONDS);
        }
        assertFalse(child.isAlive());

        List<Profile> profiles = Profiles.at(data).list();
        assertEquals(1, profiles.size());
        String committed;
        try (LocalStore store = LocalStore.open(profiles.get(0).directory(), Clock.systemUTC())) {
            Doc local = new Doc();
            Updates.applyUpdate(local, store.load(docId), null);
            committed = local.getText(OpenDocument.TEXT).toString();
        }
        assertTrue(committed.length() >= 20, "it had typed: " + committed.length());

        Run again = runInProcess("--data", data.toString(), "--print");
        assertEquals(0, again.exit, again.lines.toString());
        assertEquals(0, again.last("summary").get("queued").asInt());
        assertEquals(committed, serverText(), "every edit committed locally reached the server, once");
        assertEquals(committed, again.last("text").get("text").asText());
    }

    @Test
    void aWrongPasswordExitsWithTwoAndSaysSoWithoutThePassword() throws Exception {
        String wrong = "not-her-password-77";
        Process child = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
                "dev.quire.cli.Main", "client", "--server", server.httpUrl().toString(), "--user", "alice",
                "--doc", docId, "--data", dir.resolve("data").toString()).start();
        child.getOutputStream().write((wrong + "\n").getBytes(StandardCharsets.UTF_8));
        child.getOutputStream().close();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        String stderr = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String stdout = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, child.exitValue(), stderr);
        assertTrue(stderr.contains("refused the sign-in"), stderr);
        assertFalse(stderr.contains(wrong) || stdout.contains(wrong), "the password was printed");
    }

    // ---- helpers ----

    private record Run(int exit, List<JsonNode> lines) {
        JsonNode last(String event) {
            JsonNode found = null;
            for (JsonNode l : lines) {
                if (l.path("event").asText().equals(event)) {
                    found = l;
                }
            }
            assertTrue(found != null, "no " + event + " line in " + lines);
            return found;
        }
    }

    /** Runs the command in this JVM, password on stdin, stdout captured (every line must be JSON). */
    private Run runInProcess(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("client", "--server", server.httpUrl().toString(), "--user",
                "alice", "--doc", docId));
        if (!List.of(extra).contains("--data")) {
            args.addAll(List.of("--data", dir.resolve("in-process").toString()));
        }
        args.addAll(List.of(extra));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        InputStream oldIn = System.in;
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8)));
            exit = Main.commandLine().execute(args.toArray(String[]::new));
        } finally {
            System.setOut(oldOut);
            System.setIn(oldIn);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line)); // fails on anything on stdout that is not a JSON line
            }
        }
        return new Run(exit, lines);
    }

    private static void awaitLine(InputStream stdout, String fragment) throws Exception {
        CompletableFuture<Void> seen = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.contains(fragment)) {
                        seen.complete(null);
                    }
                }
            } catch (java.io.IOException e) {
                // killed
            }
            seen.completeExceptionally(new AssertionError("the client ended before printing " + fragment));
        }, "client-stdout");
        reader.setDaemon(true);
        reader.start();
        seen.get(60, TimeUnit.SECONDS);
    }

    private String token() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.httpUrl().resolve("/auth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=alice&password=" + PASSWORD))
                .build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).get("access_token").asText();
    }

    private String serverText() throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(server.httpUrl().resolve("/docs/" + docId
                + "/export")).header("Authorization", "Bearer " + token()).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        Doc d = new Doc();
        Updates.applyUpdate(d, r.body(), null);
        return d.getText(OpenDocument.TEXT).toString();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
