package dev.quire.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import dev.quire.ui.QuireApp;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code quire} command. Without a subcommand it opens the desktop app. */
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

    static final String NO_DISPLAY =
            "quire: no display to open the app on (no DISPLAY or WAYLAND_DISPLAY); the command line works without one:";

    /** Opens the desktop app and returns when it closes; tests put a recorder here instead of real windows. */
    interface AppLauncher {
        /**
         * Runs the app until it quits, opening {@code target} (a link or a file; null: none) once signed in; false
         * when Quire already ran on that folder and was asked to do it instead.
         */
        boolean launch(Path dataDir, String serverUrl, String target);
    }

    static AppLauncher launcher = QuireApp::launch;

    @Spec CommandSpec spec;

    @Option(names = "--data", description = "Keep every profile under DIR (default: QUIRE_HOME, else the platform's"
            + " application-data folder).", paramLabel = "DIR")
    Path data;

    @Option(names = "--server", description = "Open the app at the sign-in to this server.", paramLabel = "URL")
    String server;

    @picocli.CommandLine.Parameters(arity = "0..1", paramLabel = "LINK|FILE", description = "A quire:// document link"
            + " to open, or a file (an exported .yjs, .md or .txt) to import into a new document; what the desktop"
            + " passes when a link or file is opened with Quire.")
    String target;

    @Override
    public Integer call() {
        if (!displayAvailable(System.getenv(), System.getProperty("os.name", ""))) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(NO_DISPLAY);
            spec.commandLine().usage(err);
            return 1;
        }
        if (target != null && !dev.quire.app.DocumentLink.looksLikeOne(target)
                && !java.nio.file.Files.isRegularFile(Path.of(target))) {
            spec.commandLine().getErr().println("quire: no such command or file: " + target);
            spec.commandLine().usage(spec.commandLine().getErr());
            return 2;
        }
        String open = target == null || dev.quire.app.DocumentLink.looksLikeOne(target) ? target
                : Path.of(target).toAbsolutePath().toString(); // the running Quire has another working directory
        if (!launcher.launch(data, server, open)) {
            spec.commandLine().getOut().println("Quire is already running with this data folder: it shows its window.");
        }
        return 0;
    }

    /** Windows and macOS always have one; elsewhere an X or Wayland display must be named. */
    static boolean displayAvailable(java.util.Map<String, String> env, String osName) {
        String os = osName.toLowerCase(java.util.Locale.ROOT);
        if (os.contains("win") || os.contains("mac")) {
            return true;
        }
        return env.get("DISPLAY") != null || env.get("WAYLAND_DISPLAY") != null
                || Boolean.getBoolean("quire.forceDisplay");
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
