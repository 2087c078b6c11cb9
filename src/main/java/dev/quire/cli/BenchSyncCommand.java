package dev.quire.cli;

import dev.quire.bench.load.LoadConfig;
import dev.quire.bench.load.LoadResult;
import dev.quire.bench.load.QuireServerTarget;
import dev.quire.bench.load.RelayFloorTarget;
import dev.quire.bench.load.StockYWebsocketTarget;
import dev.quire.bench.load.SyncLoadBenchmark;
import dev.quire.bench.load.Target;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code quire bench sync}: issue 5's sync load, against Quire's server and the stock y-websocket server. */
@Command(
        name = "sync",
        description = {
            "Load a sync server on loopback with simulated editors and measure edit-to-every-peer latency,"
                    + " server CPU and lost edits; the same load against each target, one after the other.",
            "Prints a Markdown table to stdout, progress to stderr; exit code 1 if any target lost an edit,"
                    + " diverged, failed or (Quire) left an edit unacknowledged."
        })
final class BenchSyncCommand implements Callable<Integer> {
    @Option(names = "--clients", defaultValue = "200", description = "Clients in all (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--docs", defaultValue = "20", description = "Documents; clients are spread round-robin (default: ${DEFAULT-VALUE}).")
    int docs;

    @Option(names = "--rate", defaultValue = "5", description = "Edits per second per client (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--warmup", defaultValue = "10", paramLabel = "SECONDS", description = "Unmeasured typing first (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--duration", defaultValue = "30", paramLabel = "SECONDS", description = "Measured typing (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--drain", defaultValue = "15", paramLabel = "SECONDS", description = "How long to wait for the last edits and acks (default: ${DEFAULT-VALUE}).")
    double drain;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--targets", split = ",", defaultValue = "quire,stock",
            description = "Servers to load, in this order: quire, stock, floor (Java-WebSocket relaying frames and nothing else: the transport's floor) (default: ${DEFAULT-VALUE}).")
    List<String> targets;

    @Option(names = "--rounds", defaultValue = "1", description = "Runs every target this many times, taking turns"
            + " (quire, stock, quire, stock, …), and adds each target's median and range: single runs on a shared"
            + " machine move by more than the differences looked for (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--node", defaultValue = "node", description = "Node for the stock server (default: ${DEFAULT-VALUE}).")
    String node;

    @Option(names = "--stock-server", paramLabel = "server.cjs",
            defaultValue = "src/test/js/node_modules/y-websocket/bin/server.cjs",
            description = "y-websocket 2.1.0's bin/server.cjs (default: ${DEFAULT-VALUE}).")
    Path stockServer;

    // the quire launcher's own default (QUIRE_JAVA_OPTS), so the server runs as `./quire server` runs it
    @Option(names = "--server-java-opts", paramLabel = "OPTS", defaultValue = "-XX:+UseParallelGC",
            description = "JVM options of the Quire server's JVM, space-separated (default: ${DEFAULT-VALUE}, as the"
                    + " quire launcher runs it).")
    String serverJavaOpts;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Hard limit for the whole run (default: 2 × (warm-up + duration + drain) + 120 per target).")
    Double timeout;

    @Option(names = "--work", paramLabel = "DIR",
            description = "Where servers keep data and logs (default: a temp dir, removed unless something failed).")
    Path work;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        LoadConfig config;
        try {
            config = new LoadConfig(clients, docs, rate, seconds(warmup), seconds(duration), seconds(drain), seed);
            if (rounds < 1) {
                throw new IllegalArgumentException("--rounds must be at least 1");
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<Target> chosen = targets();
        Duration hardTimeout = timeout != null ? seconds(timeout)
                : seconds(rounds * chosen.size() * (2 * (warmup + duration + drain) + 120));
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("quire-sync-load");
        PrintStream progress = System.err;
        progress.printf("sync-load: servers' data and logs in %s%n", dir);
        Thread watchdog = watchdog(hardTimeout.plusSeconds(30));

        List<LoadResult> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            if (rounds > 1) {
                progress.printf("sync-load: round %d of %d%n", round, rounds);
            }
            Path roundDir = rounds > 1 ? Files.createDirectories(dir.resolve("round-" + round)) : dir;
            results.addAll(SyncLoadBenchmark.run(chosen, config, roundDir, hardTimeout, progress));
        }
        watchdog.interrupt();
        PrintWriter out = spec.commandLine().getOut();
        out.print(SyncLoadBenchmark.table(config, results));
        if (rounds > 1) {
            out.print(SyncLoadBenchmark.medians(results));
        }
        out.flush();
        boolean ok = results.stream().allMatch(LoadResult::ok);
        if (ok && work == null) {
            deleteTree(dir);
        } else if (!ok) {
            progress.printf("sync-load: something failed; server logs kept in %s%n", dir);
        }
        return ok ? 0 : 1;
    }

    private List<Target> targets() {
        List<Target> chosen = new ArrayList<>();
        for (String t : targets) {
            switch (t.trim()) {
                case "quire" -> chosen.add(QuireServerTarget.sameJvm(serverJvmOptions()));
                case "stock" -> chosen.add(new StockYWebsocketTarget(node, stockServer));
                case "floor" -> chosen.add(new RelayFloorTarget(serverJvmOptions()));
                default -> throw new ParameterException(spec.commandLine(),
                        "unknown target '" + t + "': use quire, stock, floor or a list of them");
            }
        }
        return chosen;
    }

    private List<String> serverJvmOptions() {
        return serverJavaOpts.isBlank() ? List.of() : List.of(serverJavaOpts.trim().split("\\s+"));
    }

    /** The benchmark's own deadlines end every wait; this is the backstop if something blocks anyway. */
    private static Thread watchdog(Duration limit) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(limit.toMillis());
                System.err.println("sync-load: hard timeout of " + limit.toSeconds() + " s passed; stopping");
                System.exit(3); // shutdown hooks stop the server processes
            } catch (InterruptedException e) {
                // finished in time
            }
        }, "sync-load-watchdog");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
