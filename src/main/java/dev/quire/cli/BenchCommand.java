package dev.quire.cli;

import picocli.CommandLine.Command;

/** {@code quire bench}: benchmarks that need the Quire JVM (the trace benchmark has its own driver, bench/trace-bench). */
@Command(
        name = "bench",
        description = "Benchmarks.",
        subcommands = {BenchSyncCommand.class, BenchClientCommand.class, BenchUiCommand.class})
final class BenchCommand {
}
