package dev.quire.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A stock {@code y-websocket@2.1.0} {@code WebsocketProvider} in Node ({@code src/test/js/ywebsocket/provider-client.mjs},
 * unmodified library code, {@code ws} as its WebSocket), driven over JSON lines. It connects to
 * {@code syncBase/sync/{docId}?ticket=...} exactly as a browser editor would.
 */
public final class StockProvider implements AutoCloseable {
    public static final Path JS_DIR = Path.of("src/test/js");
    private static final Path SCRIPT = JS_DIR.resolve("ywebsocket/provider-client.mjs");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 20;
    private static final JsonNode EOF = JSON.createObjectNode().put("event", "eof");

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final List<JsonNode> seenEvents = new ArrayList<>();
    private final Path stderr;
    public final long clientId;

    private StockProvider(Process process, Path stderr) throws InterruptedException {
        this.process = process;
        this.stderr = stderr;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readLines, "stock-provider-stdout");
        reader.setDaemon(true);
        reader.start();
        this.clientId = awaitEvent(e -> e.path("event").asText().equals("ready")).get("clientId").asLong();
    }

    /**
     * Starts a provider for {@code docId} that connects with {@code ticket} and announces itself in awareness as
     * {@code claimedName} (with the claimed id {@code "claimed-id"}), which the server must overwrite.
     */
    public static StockProvider start(URI syncBase, String docId, String ticket, String claimedName, Path stderr)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(JS_DIR.resolve("node_modules/y-websocket/package.json"))) {
            throw new IllegalStateException("the stock client test needs y-websocket in "
                    + JS_DIR.resolve("node_modules").toAbsolutePath() + ": run npm ci --prefix src/test/js");
        }
        Process p = new ProcessBuilder("node", SCRIPT.toString(), "--url", syncBase + "/sync", "--doc", docId,
                "--ticket", ticket, "--name", claimedName).redirectError(stderr.toFile()).start();
        return new StockProvider(p, stderr);
    }

    private void readLines() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                JsonNode n = JSON.readTree(line);
                (n.has("event") ? events : replies).add(n);
            }
        } catch (IOException e) {
            // the process is gone; waiters time out with its stderr
        }
        events.add(EOF);
        replies.add(EOF);
    }

    /** Waits for an event (status, synced, close) matching {@code match}; earlier events are kept, not lost. */
    public JsonNode awaitEvent(Predicate<JsonNode> match) throws InterruptedException {
        synchronized (seenEvents) {
            for (JsonNode e : seenEvents) {
                if (match.test(e)) {
                    return e;
                }
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (e == null || e == EOF) {
                if (e == EOF) {
                    events.add(EOF);
                }
                return fail("no matching provider event " + (e == null ? "in time" : "before it exited") + "; events "
                        + seenEvents + "; stderr: " + stderr());
            }
            synchronized (seenEvents) {
                seenEvents.add(e);
            }
            if (match.test(e)) {
                return e;
            }
        }
    }

    /** Whether an event named {@code name} has arrived so far. */
    public boolean sawEvent(String name) {
        synchronized (seenEvents) {
            for (JsonNode e; (e = events.poll()) != null && e != EOF; ) {
                seenEvents.add(e);
            }
            return seenEvents.stream().anyMatch(e -> e.path("event").asText().equals(name));
        }
    }

    public JsonNode awaitSynced() throws InterruptedException {
        return awaitEvent(e -> e.path("event").asText().equals("synced"));
    }

    public void insert(int index, String text) throws InterruptedException {
        call(op("insert").put("index", index).put("text", text));
    }

    public String awaitText(String expected) throws InterruptedException {
        return call(op("waitText").put("text", expected)).get("text").asText();
    }

    /** The awareness states once at least {@code count} are known: a list of {clientId, state}. */
    public JsonNode awaitAwareness(int count) throws InterruptedException {
        return call(op("waitAwareness").put("count", count)).get("awareness");
    }

    private static ObjectNode op(String name) {
        return JSON.createObjectNode().put("op", name);
    }

    /** One command, one reply line: commands are sent one at a time, so replies come back in order. */
    private synchronized JsonNode call(ObjectNode command) throws InterruptedException {
        try {
            stdin.write(JSON.writeValueAsString(command) + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new IllegalStateException("the provider is gone: " + e + "; stderr: " + stderr(), e);
        }
        JsonNode reply = replies.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (reply == null || reply == EOF) {
            return fail("no reply to " + command + " (events " + seenEvents + "); stderr: " + stderr());
        }
        if (reply.has("error")) {
            return fail("provider error: " + reply);
        }
        return reply;
    }

    private String stderr() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stdin.write("{\"op\":\"close\"}\n");
            stdin.flush();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
