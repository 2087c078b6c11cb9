package dev.quire.cli;

import dev.quire.trace.Trace;
import dev.quire.trace.TraceRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quire trace FILE}: replays an editing trace through the document core and reports how it went. */
@Command(
        name = "trace",
        description =
                "Replay an editing trace (../shared/traces format) and print one JSON line of measurements.")
final class TraceCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "Trace file (.json or .json.gz).")
    Path file;

    @Option(
            names = "--out",
            paramLabel = "state.bin",
            description = "Also write the final document state, encoded as one Yjs v1 update, to this file.")
    Path out;

    @Option(
            names = "--repeat",
            paramLabel = "N",
            defaultValue = "1",
            description = "Replay the trace N times (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Trace trace = Trace.read(file);
        TraceRun run = TraceRun.measure(trace, repeat);
        if (out != null) {
            Files.write(out, run.state());
        }
        spec.commandLine().getOut().println(run.toJson());
        spec.commandLine().getOut().flush();
        return run.match() ? 0 : 1;
    }
}
