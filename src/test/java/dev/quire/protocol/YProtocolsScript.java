package dev.quire.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs src/test/js/protocol/y-protocols-cases.mjs once: the real y-protocols package encodes, decodes and merges
 * what a test gives it (see the script's header for the JSON shapes). Output goes through temporary files, so a
 * large batch cannot block on a full pipe.
 */
final class YProtocolsScript {
    static final Path JS_DIR = Path.of("src/test/js");
    static final Path SCRIPT = JS_DIR.resolve("protocol/y-protocols-cases.mjs");
    static final String Y_PROTOCOLS_VERSION = "1.0.7";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 60;

    private YProtocolsScript() {
    }

    static JsonNode run(JsonNode input) {
        if (!Files.isRegularFile(JS_DIR.resolve("node_modules/y-protocols/package.json"))) {
            throw new IllegalStateException("the y-protocols interop tests need the y-protocols package in "
                    + JS_DIR.resolve("node_modules").toAbsolutePath() + ": run npm ci --prefix src/test/js");
        }
        Path in = null;
        Path out = null;
        Path err = null;
        try {
            in = Files.createTempFile("y-protocols-in", ".json");
            out = Files.createTempFile("y-protocols-out", ".json");
            err = Files.createTempFile("y-protocols-err", ".txt");
            JSON.writeValue(in.toFile(), input);
            Process p;
            try {
                p = new ProcessBuilder("node", SCRIPT.toString())
                        .redirectInput(in.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start 'node " + SCRIPT + "' (is Node.js 18+ on the PATH?): "
                        + e.getMessage(), e);
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(SCRIPT + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(SCRIPT + " failed (exit " + p.exitValue() + "):\n" + stderr);
            }
            JsonNode result = JSON.readTree(out.toFile());
            if (result == null || !Y_PROTOCOLS_VERSION.equals(result.path("yProtocols").asText())) {
                throw new IllegalStateException(SCRIPT + " reports y-protocols " + (result == null ? "nothing"
                        : result.path("yProtocols")) + ", expected " + Y_PROTOCOLS_VERSION
                        + ": run npm ci --prefix src/test/js\n" + stderr);
            }
            return result;
        } catch (IOException e) {
            throw new IllegalStateException("running " + SCRIPT + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + SCRIPT, e);
        } finally {
            for (Path f : new Path[] {in, out, err}) {
                if (f != null) {
                    try {
                        Files.deleteIfExists(f);
                    } catch (IOException ignored) {
                        // a temp file left behind is harmless
                    }
                }
            }
        }
    }
}
