package dev.quire.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.server.auth.FileUserDirectory;
import dev.quire.server.auth.PasswordHasher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5: "kill -9 during a stream of writes, restart: every acknowledged update is there", for the whole server:
 * {@code quire server} runs in its own JVM exactly as the command line starts it; a Quire client streams edits over
 * the sync socket and records the acks; the server is killed with SIGKILL mid-stream, started again on the same data
 * directory, and the exported document holds every acknowledged edit.
 */
class ServerKillTest {
    private static final String PASSWORD = "writer-password";
    /** Enough acks that the stream is well under way (and the periodic flush has run) when the kill comes. */
    private static final int KILL_AFTER_ACKED_EDITS = 150;
    private static final Pattern STARTED = Pattern.compile("Quire server: (http://\\S+) \\(sync (ws://\\S+)\\)");

    @TempDir
    Path dir;
    @TempDir
    Path logs;

    record Edit(String token, int clockAfter) {
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyAcknowledgedEditSurvivesKillDashNineOfTheServerProcess() throws Exception {
        // The user is written before the server starts, with a cheap hash, as `quire server user add` would write it.
        SecureRandom random = new SecureRandom();
        new FileUserDirectory(dir.resolve("users"), random).add("writer",
                new PasswordHasher(1000, random).hash(PASSWORD.toCharArray()));

        Process child = startServerProcess();
        List<Edit> sent = new ArrayList<>();
        QuireClient client;
        String docId;
        ScheduledExecutorService typist = Executors.newSingleThreadScheduledExecutor();
        try {
            URI[] urls = awaitStarted(child);
            ServerApi api = new ServerApi(urls[0]);
            String token = api.login("writer", PASSWORD);
            docId = api.createDoc(token, "Stream");
            client = QuireClient.connect(urls[1], docId, token).awaitSynced();

            // ~80 edits/s: a fast typist, within the per-connection rate limit (100 msg/s)
            typist.scheduleAtFixedRate(() -> {
                synchronized (sent) {
                    String t = "<" + sent.size() + ">";
                    sent.add(new Edit(t, client.append(t)));
                    sent.notifyAll();
                }
            }, 0, 12, TimeUnit.MILLISECONDS);
            int killAt;
            synchronized (sent) {
                while (sent.size() < KILL_AFTER_ACKED_EDITS) {
                    sent.wait(1000);
                }
                killAt = sent.get(KILL_AFTER_ACKED_EDITS - 1).clockAfter();
            }
            client.awaitAcked(killAt);

            // SIGKILL on Linux: no shutdown hook, no close; edits keep coming while it dies
            assertTrue(child.toHandle().destroyForcibly());
            assertNotEquals(0, child.waitFor(), "the server was killed, it did not stop by itself");
            client.awaitClose();
        } finally {
            typist.shutdownNow();
            typist.awaitTermination(10, TimeUnit.SECONDS);
            child.destroyForcibly();
        }
        long acked = client.ackedClock();
        List<Edit> edits;
        synchronized (sent) {
            edits = List.copyOf(sent);
        }
        long ackedEdits = edits.stream().filter(e -> e.clockAfter() <= acked).count();
        assertTrue(ackedEdits >= KILL_AFTER_ACKED_EDITS);

        // restarted on the same data directory (in this JVM: the keys and users files are the child's)
        try (QuireServer restarted = QuireServer.start(ServerConfig.defaults(dir).onFreePorts()
                .withPasswordIterations(1000), Clock.systemUTC())) {
            ServerApi api = new ServerApi(restarted.httpUrl());
            Doc stored = new Doc();
            Updates.applyUpdate(stored, api.export(api.login("writer", PASSWORD), docId));
            String text = stored.getText(QuireClient.TEXT).toString();
            long storedClock = stored.stateVector().get(client.doc.clientId());
            assertTrue(storedClock >= acked, "acked up to clock " + acked + ", stored only up to " + storedClock);

            // the text is the first k edits, in order, and k covers every acknowledged one
            StringBuilder prefix = new StringBuilder();
            int k = 0;
            while (k < edits.size() && text.startsWith(prefix + edits.get(k).token())) {
                prefix.append(edits.get(k++).token());
            }
            assertEquals(prefix.toString(), text, "the stored text is not a prefix of the stream");
            assertTrue(k >= ackedEdits, "acknowledged " + ackedEdits + " edits, stored " + k);
            System.out.printf("server killed after %d acknowledged edits (%d sent); %d stored%n", ackedEdits,
                    edits.size(), k);
        }
    }

    private Process startServerProcess() throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "dev.quire.cli.Main", "server", "--port", "0",
                "--data", dir.toString())
                .redirectError(logs.resolve("server-stderr.log").toFile())
                .start();
    }

    /** The HTTP and sync base URLs from the server's start line. */
    private URI[] awaitStarted(Process child) throws Exception {
        CompletableFuture<URI[]> started = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    Matcher m = STARTED.matcher(line);
                    if (m.find()) {
                        started.complete(new URI[] {URI.create(m.group(1)), URI.create(m.group(2))});
                    }
                }
            } catch (IOException e) {
                // the process died; reported below
            }
            started.completeExceptionally(new AssertionError("the server exited without starting: "
                    + read(logs.resolve("server-stderr.log"))));
        }, "server-stdout");
        reader.setDaemon(true);
        reader.start();
        return started.get(60, TimeUnit.SECONDS);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
