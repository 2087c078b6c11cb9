package dev.quire.cli;

import dev.quire.bench.client.ClientBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quire bench client}: issue 6's client engine figures against the embedded server on loopback. */
@Command(
        name = "client",
        description = {
            "Run the client engine against an embedded server on loopback: keystroke-to-durable latency, token refresh"
                    + " latency, the time to get a queue of offline edits acknowledged after a reconnect, and the"
                    + " reconnect itself, each beside a floor from the same run where one exists.",
            "Prints a Markdown table to stdout, progress to stderr."
        })
final class BenchClientCommand implements Callable<Integer> {
    @Option(names = "--keystrokes", defaultValue = "1000", description = "Keystrokes timed one by one (default: ${DEFAULT-VALUE}).")
    int keystrokes;

    @Option(names = "--refreshes", defaultValue = "200", description = "Token refreshes (default: ${DEFAULT-VALUE}).")
    int refreshes;

    @Option(names = "--queued", defaultValue = "10000", description = "Edits typed offline before the reconnect (default: ${DEFAULT-VALUE}).")
    int queued;

    @Option(names = "--work", description = "Working folder (default: a new temporary one).")
    Path work;

    @Override
    public Integer call() throws Exception {
        Path dir = work != null ? work : Files.createTempDirectory("quire-bench-client");
        System.out.print(ClientBenchmark.table(ClientBenchmark.run(
                new ClientBenchmark.Config(keystrokes, refreshes, queued, dir))));
        return 0;
    }
}
