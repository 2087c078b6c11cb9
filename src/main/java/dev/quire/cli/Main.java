package dev.quire.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code quire} command. Without a subcommand it will open the desktop app; until that exists it prints help. */
@Command(
        name = "quire",
        // INHERIT gives every subcommand the same --help and --version.
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Quire: a collaborative text editor for the JVM, byte-compatible with Yjs.",
        subcommands = {ServerCommand.class, ClientCommand.class, TraceCommand.class, UpdateCommand.class,
                BenchCommand.class})
public final class Main implements Callable<Integer> {

    static final String APP_NOT_BUILT =
            "The Quire desktop app is not built yet (issue 7); here is what the command line can do:";

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println(APP_NOT_BUILT);
        spec.commandLine().usage(out);
        return 0;
    }

    /** The full command tree; tests use this with their own output writers. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        // A failure the user can act on (a port in use, a read-only data directory, --dev on a public address) is
        // one line that says so; the stack trace only with QUIRE_DEBUG set.
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("quire: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            if (System.getenv("QUIRE_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return 1;
        });
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
