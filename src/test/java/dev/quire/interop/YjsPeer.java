package dev.quire.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Drives real Yjs 13.6.33 documents in a Node child process (src/test/js/yjs-peer.mjs): one JSON request per line
 * on its stdin, one reply line per request on its stdout. Update bytes travel as base64. Start one per test class
 * ({@code @BeforeAll}) and {@link #close()} it afterwards.
 */
final class YjsPeer implements AutoCloseable {
    static final Path JS_DIR = Path.of("src/test/js");
    static final Path SCRIPT = JS_DIR.resolve("yjs-peer.mjs");
    static final ObjectMapper JSON = new ObjectMapper();
    private static final long REPLY_TIMEOUT_SECONDS = 60;
    /** What the reader thread puts into the queue when the peer's stdout ends. */
    private static final String EOF = "\u0000eof";

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private long nextId = 1;

    private YjsPeer(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        daemon("yjs-peer-stdout", () -> {
            try (BufferedReader r = reader(process.getInputStream())) {
                for (String line; (line = r.readLine()) != null; ) {
                    replies.add(line);
                }
            } finally {
                replies.add(EOF);
            }
        });
        daemon("yjs-peer-stderr", () -> {
            try (BufferedReader r = reader(process.getErrorStream())) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (stderrTail) {
                        stderrTail.addLast(line);
                        if (stderrTail.size() > 40) {
                            stderrTail.removeFirst();
                        }
                    }
                }
            }
        });
    }

    private static YjsPeer shared;

    /**
     * One peer for the whole test run (its docs are named, and `new` replaces a doc of the same name), closed when
     * the JVM exits: starting node once instead of once per test class.
     */
    static synchronized YjsPeer shared() {
        if (shared == null) {
            shared = start();
            YjsPeer peer = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(peer::close, "yjs-peer-close"));
        }
        return shared;
    }

    /** Starts the Node peer; fails with the command to run when node or the yjs package is missing. */
    static YjsPeer start() {
        requireYjsInstalled();
        Process p;
        try {
            p = new ProcessBuilder("node", SCRIPT.toString()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start 'node " + SCRIPT + "' (is Node.js 18+ on the PATH?): "
                    + e.getMessage(), e);
        }
        YjsPeer peer = new YjsPeer(p);
        JsonNode pong = peer.call(req("ping"));
        if (!"13.6.33".equals(pong.path("yjs").asText())) {
            peer.close();
            throw new IllegalStateException("yjs-peer reports Yjs " + pong.path("yjs") + ", expected 13.6.33");
        }
        return peer;
    }

    static void requireYjsInstalled() {
        if (!Files.isRegularFile(JS_DIR.resolve("node_modules/yjs/package.json"))) {
            throw new IllegalStateException("the interop tests need the yjs package in "
                    + JS_DIR.resolve("node_modules").toAbsolutePath() + ": run npm ci --prefix src/test/js");
        }
    }

    static ObjectNode req(String op) {
        return JSON.createObjectNode().put("op", op);
    }

    /** Sends one request and waits for its reply; a reply with "error" becomes a {@link PeerError}. */
    synchronized JsonNode call(ObjectNode request) {
        long id = nextId++;
        request.put("id", id);
        String line;
        try {
            stdin.write(JSON.writeValueAsString(request));
            stdin.write('\n');
            stdin.flush();
            line = replies.poll(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("yjs-peer is gone (" + e.getMessage() + ")" + stderr(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for yjs-peer", e);
        }
        if (line == null || line.equals(EOF)) {
            throw new IllegalStateException("yjs-peer did not answer " + request.path("op") + " ("
                    + (line == null ? "timeout" : "exited") + ")" + stderr());
        }
        JsonNode reply;
        try {
            reply = JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException("yjs-peer wrote a line that is not JSON: " + line, e);
        }
        if (reply.path("id").asLong() != id) {
            throw new IllegalStateException("yjs-peer replied to request " + reply.path("id") + ", expected " + id);
        }
        if (reply.has("error")) {
            throw new PeerError(request.path("op").asText() + ": " + reply.get("error").asText(), reply);
        }
        return reply;
    }

    /** What {@link #runSteps} returns: the update of each transaction, the final state and state vector. */
    record ScriptRun(List<byte[]> updates, byte[] update, byte[] sv) {
    }

    /**
     * Runs steps in a fresh Yjs doc in a one-shot process (src/test/js/interop/run-steps.mjs), for step types the
     * long-running peer does not know (arrayPush).
     */
    static ScriptRun runSteps(long clientId, boolean gc, List<? extends JsonNode> steps) {
        requireYjsInstalled();
        ObjectNode input = JSON.createObjectNode().put("clientId", clientId).put("gc", gc);
        ObjectNode roots = input.putObject("roots");
        Steps.ROOTS.forEach(roots::put);
        input.putArray("steps").addAll(steps);
        try {
            Process p = new ProcessBuilder("node", JS_DIR.resolve("interop/run-steps.mjs").toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
                w.write(JSON.writeValueAsString(input));
            }
            JsonNode out = JSON.readTree(p.getInputStream());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || out == null) {
                throw new IllegalStateException("interop/run-steps.mjs failed (exit " + p.exitValue() + ")");
            }
            return new ScriptRun(bytesList(out.get("updates")), bytes(out.get("update")), bytes(out.get("sv")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run interop/run-steps.mjs: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- typed requests ----

    /** Creates (or replaces) a Yjs doc; {@code roots} maps root names to "text", "map" or "array". */
    void newDoc(String doc, long clientId, boolean gc, Map<String, String> roots) {
        ObjectNode r = req("new").put("doc", doc).put("clientId", clientId).put("gc", gc);
        ObjectNode rootsNode = r.putObject("roots");
        roots.forEach(rootsNode::put);
        call(r);
    }

    /** Runs steps (each one transaction) and returns the updates the doc emitted. */
    List<byte[]> script(String doc, List<? extends JsonNode> steps) {
        ObjectNode r = req("script").put("doc", doc);
        r.putArray("steps").addAll(steps);
        return bytesList(call(r).get("updates"));
    }

    record Applied(boolean pending, List<byte[]> emitted) {
    }

    /** Applies an update as a remote one; emitted are updates of local transactions it caused (format cleanup). */
    Applied apply(String doc, byte[] update) {
        JsonNode reply = call(req("apply").put("doc", doc).put("update", b64(update)));
        return new Applied(reply.get("pending").asBoolean(), bytesList(reply.get("emitted")));
    }

    byte[] encodeStateAsUpdate(String doc) {
        return bytes(call(req("encode").put("doc", doc)).get("update"));
    }

    byte[] encodeStateAsUpdate(String doc, byte[] sv) {
        return bytes(call(req("encode").put("doc", doc).put("sv", b64(sv))).get("update"));
    }

    byte[] encodeStateVector(String doc) {
        return bytes(call(req("sv").put("doc", doc)).get("sv"));
    }

    /** {"text": string, "delta": [...]} of a Y.Text. */
    JsonNode text(String doc, String name) {
        return call(req("text").put("doc", doc).put("name", name));
    }

    JsonNode mapJson(String doc, String name) {
        return call(req("map").put("doc", doc).put("name", name)).get("json");
    }

    JsonNode arrayJson(String doc, String name) {
        return call(req("array").put("doc", doc).put("name", name)).get("json");
    }

    byte[] mergeUpdates(List<byte[]> updates) {
        ObjectNode r = req("mergeUpdates");
        ArrayNode a = r.putArray("updates");
        updates.forEach(u -> a.add(b64(u)));
        return bytes(call(r).get("update"));
    }

    byte[] diffUpdate(byte[] update, byte[] sv) {
        return bytes(call(req("diffUpdate").put("update", b64(update)).put("sv", b64(sv))).get("update"));
    }

    byte[] encodeStateVectorFromUpdate(byte[] update) {
        return bytes(call(req("svFromUpdate").put("update", b64(update))).get("sv"));
    }

    void free(String doc) {
        call(req("free").put("doc", doc));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                call(req("exit"));
            } catch (RuntimeException ignored) {
                // the process is killed below anyway
            }
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    // ---- helpers ----

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] bytes(JsonNode b64) {
        return Base64.getDecoder().decode(b64.asText());
    }

    private static List<byte[]> bytesList(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(bytes(n)));
        }
        return out;
    }

    private String stderr() {
        synchronized (stderrTail) {
            return stderrTail.isEmpty() ? "" : "\nyjs-peer stderr:\n  " + String.join("\n  ", stderrTail);
        }
    }

    private static BufferedReader reader(java.io.InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    private interface IoRunnable {
        void run() throws IOException;
    }

    private static void daemon(String name, IoRunnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (IOException ignored) {
                // the stream closed with the process
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    /** Yjs refused a request (the reply carried "error"). */
    static final class PeerError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient JsonNode reply;

        PeerError(String message, JsonNode reply) {
            super(message);
            this.reply = reply;
        }
    }
}
