package dev.quire.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One target under the load: start it, connect and sync every client, type through warm-up and the measured
 * window, wait for the last edits (and acks) to arrive, check the final texts, stop it.
 *
 * <p>All clients share one {@link HttpClient} (one selector thread) and a small executor for WebSocket callbacks,
 * and one scheduler thread types for all of them: 200 clients cost a handful of threads, not 400.
 */
final class LoadRun {
    private static final Pattern MARKER = Pattern.compile("\\[c\\d+:\\d+]");
    private static final int CALLBACK_THREADS = 2;

    private final Target target;
    private final LoadConfig config;
    private final Path workDir;
    private final long deadlineNanos;
    private final PrintStream progress;
    private final Faults faults;
    private final Tracker tracker = new Tracker();
    private final LoadClient.Window window = new LoadClient.Window();

    LoadRun(Target target, LoadConfig config, Path workDir, long deadlineNanos, PrintStream progress, Faults faults) {
        this.target = target;
        this.config = config;
        this.workDir = workDir;
        this.deadlineNanos = deadlineNanos;
        this.progress = progress;
        this.faults = faults;
    }

    LoadResult run() throws InterruptedException {
        progress.printf("sync-load: %s: starting the server%n", target.name());
        Target.Running server;
        try {
            server = target.start(config.docs(), workDir, left());
        } catch (IOException | RuntimeException e) {
            return LoadResult.failed(target.name(), "could not start: " + e.getMessage());
        }
        ExecutorService callbacks = Executors.newFixedThreadPool(CALLBACK_THREADS, daemon("ws-callback"));
        ScheduledThreadPoolExecutor typist = new ScheduledThreadPoolExecutor(1, daemon("typist"));
        List<LoadClient> clients = new ArrayList<>();
        try {
            for (int d = 0; d < config.docs(); d++) {
                requireLoopback(server.syncUri(d));
            }
            HttpClient http = HttpClient.newBuilder().executor(callbacks).connectTimeout(left()).build();
            clients = createClients();
            connect(http, server, clients);
            return type(server, clients, typist);
        } catch (IOException | TimeoutException | ExecutionException | RuntimeException e) {
            String why = e instanceof ExecutionException ? String.valueOf(e.getCause()) : e.toString();
            tracker.error(why);
            return LoadResult.failed(target.name(), String.join("; ", tracker.errors()));
        } finally {
            typist.shutdownNow();
            clients.forEach(LoadClient::close);
            server.selfReport().ifPresent(r -> progress.printf("sync-load: %s: %s%n", target.name(), r));
            server.close();
            callbacks.shutdownNow();
        }
    }

    private List<LoadClient> createClients() {
        SplittableRandom random = new SplittableRandom(config.seed());
        Set<Long> ids = new HashSet<>();
        List<LoadClient> clients = new ArrayList<>();
        for (int c = 0; c < config.clients(); c++) {
            long id;
            do {
                id = random.nextLong(1, 1L << 32); // Yjs client ids are unsigned 32-bit
            } while (!ids.add(id));
            clients.add(new LoadClient(c, config.docOf(c), id, config.maxEditsPerClient(), random.nextLong(),
                    tracker, faults, window));
        }
        for (LoadClient client : clients) {
            List<LoadClient> peers = new ArrayList<>();
            for (LoadClient other : clients) {
                if (other != client && other.docIndex == client.docIndex) {
                    peers.add(other);
                }
            }
            client.setPeers(peers);
        }
        return clients;
    }

    private void connect(HttpClient http, Target.Running server, List<LoadClient> clients)
            throws InterruptedException, ExecutionException, TimeoutException {
        progress.printf("sync-load: %s: connecting %d clients to %d documents%n", target.name(), clients.size(),
                config.docs());
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (LoadClient client : clients) {
            all.add(client.connect(http, server.syncUri(client.docIndex), server.headers(client.index, client.docIndex),
                    server.subprotocols(), left()).thenCompose(ws -> client.synced));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(left().toNanos(), TimeUnit.NANOSECONDS);
    }

    private LoadResult type(Target.Running server, List<LoadClient> clients, ScheduledThreadPoolExecutor typist)
            throws InterruptedException {
        long period = Math.round(1e9 / config.editsPerSecond());
        long start = System.nanoTime();
        window.measureFrom = start + config.warmup().toNanos();
        window.measureTo = window.measureFrom + config.duration().toNanos();
        SplittableRandom phases = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
        for (LoadClient client : clients) {
            // random phases, so that 200 clients do not all type in the same millisecond
            typist.scheduleAtFixedRate(client::type, phases.nextLong(period), period, TimeUnit.NANOSECONDS);
        }
        progress.printf("sync-load: %s: typing; warm-up %ds, then %ds measured%n", target.name(),
                config.warmup().toSeconds(), config.duration().toSeconds());
        ProcCpu generator = new ProcCpu(ProcessHandle.current().pid());
        sleepUntil(window.measureFrom);
        double cpuBefore = server.process().cpuSeconds();
        double generatorBefore = generator.seconds();
        sleepUntil(window.measureTo);
        double cpuAfter = server.process().cpuSeconds();
        double generatorCpu = generator.seconds() - generatorBefore;
        typist.shutdown(); // cancels the periodic typing (the default policy) and lets a running edit finish
        typist.awaitTermination(left().toNanos(), TimeUnit.NANOSECONDS);
        double windowSeconds = (window.measureTo - window.measureFrom) / 1e9;
        // the generator shares the machine with the server: if it ran out of CPU, latencies are its own
        progress.printf(Locale.ROOT, "sync-load: %s: the generator (this JVM) used %.2f s CPU, %.0f%% of a core%n",
                target.name(), generatorCpu, 100 * generatorCpu / windowSeconds);

        progress.printf("sync-load: %s: draining (up to %ds)%n", target.name(), config.drain().toSeconds());
        long drainDeadline = Math.min(deadlineNanos, System.nanoTime() + config.drain().toNanos());
        boolean acks = server.acks();
        tracker.await(() -> tracker.undelivered() == 0 && (!acks || clients.stream().allMatch(LoadClient::allAcked)),
                drainDeadline);
        if (!server.process().isAlive()) {
            tracker.error(target.name() + " died during the run; see " + server.process().log());
        }
        return result(clients, acks, cpuAfter - cpuBefore, windowSeconds);
    }

    private LoadResult result(List<LoadClient> clients, boolean acks, double cpuSeconds, double windowSeconds) {
        long measured = 0;
        long total = 0;
        long acked = 0;
        List<Long> latencies = new ArrayList<>();
        Set<Edit> lost = new HashSet<>();
        for (LoadClient client : clients) {
            long ackedClock = client.ackedClock();
            for (int i = 0; i < client.log.count(); i++) {
                Edit edit = client.log.get(i);
                total++;
                if (edit.endClock <= ackedClock) {
                    acked++;
                }
                if (!edit.deliveredEverywhere()) {
                    lost.add(edit);
                } else if (edit.measured) {
                    latencies.add(edit.latencyNanos());
                }
                if (edit.measured) {
                    measured++;
                }
            }
        }
        int diverged = 0;
        for (int d = 0; d < config.docs(); d++) {
            List<LoadClient> onDoc = new ArrayList<>();
            for (LoadClient client : clients) {
                if (client.docIndex == d) {
                    onDoc.add(client);
                }
            }
            String first = onDoc.get(0).text();
            boolean same = true;
            for (LoadClient client : onDoc) {
                String text = client.text();
                same &= text.equals(first);
                Set<String> markers = markers(text);
                for (LoadClient author : onDoc) {
                    for (int i = 0; i < author.log.count(); i++) {
                        if (!markers.contains(author.log.get(i).marker)) {
                            lost.add(author.log.get(i));
                        }
                    }
                }
            }
            if (!same) {
                diverged++;
                tracker.error("document " + d + ": clients ended with different texts");
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new LoadResult(target.name(), measured, sorted.length, lost.size(), diverged,
                percentileMs(sorted, 0.50), percentileMs(sorted, 0.99), sorted.length == 0 ? Double.NaN
                        : sorted[sorted.length - 1] / 1e6, cpuSeconds, windowSeconds, acks ? acked : -1, total,
                tracker.errors());
    }

    private static Set<String> markers(String text) {
        Set<String> found = new HashSet<>();
        Matcher m = MARKER.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    /** Nearest-rank percentile (the smallest value with at least p of the values at or below it). */
    static double percentileMs(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)] / 1e6;
    }

    /** Loopback only: this generator can saturate a link and must not be pointed at someone else's server. */
    static void requireLoopback(URI uri) throws IOException {
        String host = uri.getHost();
        if (host == null || !InetAddress.getByName(host).isLoopbackAddress()) {
            throw new IOException("refusing to load a non-loopback host: " + host);
        }
    }

    private Duration left() throws TimeoutExceededException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new TimeoutExceededException();
        }
        return Duration.ofNanos(left);
    }

    private void sleepUntil(long nanos) throws InterruptedException {
        long wait;
        while ((wait = Math.min(nanos, deadlineNanos) - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        if (nanos > deadlineNanos) {
            throw new TimeoutExceededException();
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, "sync-load-" + name);
            t.setDaemon(true);
            return t;
        };
    }

    /** The run's hard deadline passed. */
    static final class TimeoutExceededException extends RuntimeException {
        TimeoutExceededException() {
            super("the benchmark's hard timeout passed");
        }
    }
}
