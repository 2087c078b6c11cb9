package dev.quire.cli;

import dev.quire.bench.client.ClientBenchmark;
import dev.quire.ui.UiBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quire bench ui}: issue 7's figures, measured on the real windows. */
@Command(
        name = "ui",
        description = {
            "Run the desktop app's windows on the real engine and this computer's own server, with a second client"
                    + " typing into the same document: keystroke-to-screen latency in a large document, the time to"
                    + " open it, cold start to a usable window, and the heap of several open documents, each beside"
                    + " a bare RichTextFX area (or a bare JavaFX window) from the same run.",
            "Needs a display (xvfb-run provides one). Prints a Markdown table to stdout, progress to stderr."
        })
final class BenchUiCommand implements Callable<Integer> {
    @Option(names = "--size", defaultValue = "1000000", description = "The large document, in characters (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--keystrokes", defaultValue = "300", description = "Keystrokes timed (default: ${DEFAULT-VALUE}).")
    int keystrokes;

    @Option(names = "--warmup-keystrokes", defaultValue = "400", description = "Keystrokes typed first, reported apart"
            + " as the first ones after opening, before those timed (default: ${DEFAULT-VALUE}).")
    int warmupKeystrokes;

    @Option(names = "--peer-rate", defaultValue = "10", description = "The other client's keys a second (default: ${DEFAULT-VALUE}).")
    int peerRate;

    @Option(names = "--documents", defaultValue = "10", description = "Documents open for the heap figure (default: ${DEFAULT-VALUE}).")
    int documents;

    @Option(names = "--document-size", defaultValue = "100000", description = "Each of them, in characters (default: ${DEFAULT-VALUE}).")
    int documentSize;

    @Option(names = "--work", description = "Working folder (default: a new temporary one).")
    Path work;

    @Option(names = "--profile", description = "Write a flight recording (JFR) of the keystroke phase to FILE.",
            paramLabel = "FILE")
    Path profile;

    @Override
    public Integer call() throws Exception {
        if (!Main.displayAvailable(System.getenv(), System.getProperty("os.name", ""))) {
            System.err.println("quire bench ui needs a display: run it as  xvfb-run ./quire bench ui");
            return 1;
        }
        Path dir = work != null ? work : Files.createTempDirectory("quire-bench-ui");
        System.out.print(ClientBenchmark.table(UiBenchmark.run(new UiBenchmark.Config(size, warmupKeystrokes,
                keystrokes, peerRate, documents, documentSize, dir, System.getProperty("java.class.path"), profile))));
        return 0;
    }
}
