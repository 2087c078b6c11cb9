package dev.quire.bench.load;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A started server that needs no credentials and creates a room for any path, as the stock server and the relay
 * floor do: document N is {@code ws://127.0.0.1:PORT/bench-doc-N}.
 */
record OpenRunning(ServerProcess process, int port) implements Target.Running {
    @Override
    public URI syncUri(int doc) {
        return URI.create("ws://127.0.0.1:" + port + "/bench-doc-" + doc);
    }

    @Override
    public Map<String, String> headers(int client, int doc) {
        return Map.of();
    }

    @Override
    public List<String> subprotocols() {
        return List.of();
    }

    @Override
    public boolean acks() {
        return false;
    }

    @Override
    public void close() {
        process.close();
    }
}
