package dev.quire.bench.load;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A sync server the load runs against: how to start it as a child process, where each document's sync URL is,
 * and what a client sends to connect. One implementation per server; the load itself does not care which.
 */
public interface Target {
    /** Short name for the table ("quire", "y-websocket"). */
    String name();

    /**
     * Starts the server and prepares {@code docs} documents on it.
     *
     * @param workDir a fresh directory for the server's data and log
     * @param timeout how long starting and preparing may take
     */
    Running start(int docs, Path workDir, Duration timeout) throws IOException, InterruptedException;

    /** A started server. Closing it stops the process. */
    interface Running extends AutoCloseable {
        /** The child process, for its CPU time. */
        ServerProcess process();

        /** The sync WebSocket URL of document {@code doc} (0-based); loopback only. */
        URI syncUri(int doc);

        /**
         * Headers for client {@code client}'s WebSocket handshake to document {@code doc} (e.g. Authorization).
         * Never logged.
         */
        Map<String, String> headers(int client, int doc);

        /** WebSocket subprotocols to offer, empty for none. */
        List<String> subprotocols();

        /** Whether the server acknowledges durable updates with {@link dev.quire.protocol.Ack}; then every edit must be acked. */
        boolean acks();

        /**
         * What the server itself measured, one line for the progress output (e.g. its own receive-to-ack latency,
         * which tells a tail inside the server from one in the network, the client or the machine); empty if it
         * measures nothing.
         */
        default java.util.Optional<String> selfReport() {
            return java.util.Optional.empty();
        }

        @Override
        void close();
    }
}
