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
        if (target != null && !openable(target)) {
            spec.commandLine().getErr().println("quire: no such command or file: " + target);
            spec.commandLine().usage(spec.commandLine().getErr());
            return 2;
        }
        return openApp(data, server, target, spec.commandLine().getOut());
    }

    private static boolean openable(String target) {
        return dev.quire.app.DocumentLink.looksLikeOne(target) || java.nio.file.Files.isRegularFile(Path.of(target));
    }

    private static int openApp(Path data, String server, String target, PrintWriter out) {
        String open = target == null || dev.quire.app.DocumentLink.looksLikeOne(target) ? target
                : Path.of(target).toAbsolutePath().toString(); // the running Quire has another working directory
        if (!launcher.launch(data, server, open)) {
            out.println("Quire is already running with this data folder: it shows its window.");
            out.flush();
        }
        return 0;
    }

    /** A subcommand's name (a file of that name in the working directory does not hide the command). */
    private static boolean isSubcommand(String word) {
        for (Class<?> c : Main.class.getAnnotation(Command.class).subcommands()) {
            Command sub = c.getAnnotation(Command.class);
            if (sub != null && sub.name().equals(word)) {
                return true;
            }
        }
        return false;
    }

    /** The app's own arguments, as {@link #appArgs} reads them. */
    record AppArgs(Path data, String server, String target) {
    }

    /**
     * The arguments of a plain app start ({@code --data}, {@code --server}, one link or file), read without building
     * picocli's command tree, which took ~0.3 s of a cold start (its reflection over every subcommand), before
     * anything else could begin. Anything else (a subcommand, --help, a file that is not there) is empty: picocli
     * reads it, and says what is wrong.
     */
    static java.util.Optional<AppArgs> appArgs(String[] args) {
        Path data = null;
        String server = null;
        String target = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--data") && i + 1 < args.length) {
                data = Path.of(args[++i]);
            } else if (a.equals("--server") && i + 1 < args.length) {
                server = args[++i];
            } else if (a.startsWith("--data=")) {
                data = Path.of(a.substring(7));
            } else if (a.startsWith("--server=")) {
                server = a.substring(9);
            } else if (!a.startsWith("-") && target == null && !isSubcommand(a) && openable(a)) {
                target = a;
            } else {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of(new AppArgs(data, server, target));
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
        // Logback reads its XML configuration when the first logger is made (~0.1 s): done beside the rest
        Thread logging = new Thread(org.slf4j.LoggerFactory::getILoggerFactory, "quire-log-init");
        logging.setDaemon(true);
        logging.start();
        java.util.Optional<AppArgs> app = appArgs(args);
        if (app.isPresent() && displayAvailable(System.getenv(), System.getProperty("os.name", ""))) {
            AppArgs a = app.get();
            System.exit(openApp(a.data(), a.server(), a.target(), new PrintWriter(System.out, true)));
        }
        System.exit(commandLine().execute(args));
    }
}
