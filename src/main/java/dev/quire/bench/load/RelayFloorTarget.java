package dev.quire.bench.load;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link RelayFloor} as a target: a child JVM with the bench's class path and the same JVM options as Quire's
 * server. Clients relay each other's sync step 1 and 2 through it, which converges the same way as a server's
 * answers would, since every client then receives every update.
 */
public final class RelayFloorTarget implements Target {
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final List<String> jvmOptions;

    /** @param jvmOptions options for the relay's JVM: give it the Quire server's, so only the work differs */
    public RelayFloorTarget(List<String> jvmOptions) {
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    @Override
    public String name() {
        return "Java-WebSocket relay (floor)";
    }

    @Override
    public Running start(int docs, Path workDir, Duration timeout) throws IOException, InterruptedException {
        int port = ServerProcess.freePort();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RelayFloor.class.getName(),
                Integer.toString(port)));
        ServerProcess process = ServerProcess.start("relay-floor", command, Map.of(), workDir,
                line -> line.startsWith(RelayFloor.READY));
        try {
            process.awaitReady(timeout);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.close();
            throw e;
        }
        return new OpenRunning(process, port);
    }
}
