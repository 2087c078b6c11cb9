package dev.quire.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The stock reference: y-websocket@2.1.0's {@code bin/server.cjs} under Node (in-memory documents, no auth, no
 * persistence since YPERSISTENCE is unset). Documents need no preparation: the server creates a room for any path,
 * {@code ws://127.0.0.1:PORT/DOCNAME}.
 */
public final class StockYWebsocketTarget implements Target {
    private final String node;
    private final Path serverScript;

    /**
     * @param node the node executable ("node" to look it up on PATH)
     * @param serverScript y-websocket's bin/server.cjs (src/test/js/node_modules/y-websocket/bin/server.cjs here)
     */
    public StockYWebsocketTarget(String node, Path serverScript) {
        this.node = node;
        this.serverScript = serverScript.toAbsolutePath();
    }

    @Override
    public String name() {
        return "y-websocket 2.1.0";
    }

    @Override
    public Running start(int docs, Path workDir, Duration timeout) throws IOException, InterruptedException {
        if (!Files.isRegularFile(serverScript)) {
            throw new IOException("no y-websocket server at " + serverScript
                    + " (install it with: npm ci --prefix src/test/js)");
        }
        int port = ServerProcess.freePort();
        ServerProcess process = ServerProcess.start("y-websocket", List.of(node, serverScript.toString()),
                Map.of("HOST", "127.0.0.1", "PORT", Integer.toString(port)), workDir,
                line -> line.startsWith("running at"));
        try {
            process.awaitReady(timeout);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.close();
            throw e;
        }
        return new OpenRunning(process, port);
    }
}
