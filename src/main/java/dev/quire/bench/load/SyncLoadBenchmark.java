package dev.quire.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 5's sync load benchmark: the same load against each target in turn (one server at a time, so they do not
 * share the CPU), then one Markdown table. Loopback only, and bounded by a hard timeout for the whole run.
 */
public final class SyncLoadBenchmark {
    private SyncLoadBenchmark() {
    }

    /**
     * Runs the load against every target, in order.
     *
     * @param workDir where each server gets its own data directory and log
     * @param hardTimeout the longest the whole benchmark may take; a target still running then fails
     * @param progress where progress lines go (stderr)
     */
    public static List<LoadResult> run(List<Target> targets, LoadConfig config, Path workDir, Duration hardTimeout,
            PrintStream progress) throws IOException, InterruptedException {
        return run(targets, config, workDir, hardTimeout, progress, Faults.NONE);
    }

    static List<LoadResult> run(List<Target> targets, LoadConfig config, Path workDir, Duration hardTimeout,
            PrintStream progress, Faults faults) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + hardTimeout.toNanos();
        List<LoadResult> results = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Target target = targets.get(i);
            Path dir = Files.createDirectories(workDir.resolve(i + "-" + target.name().replaceAll("[^A-Za-z0-9.-]", "_")));
            LoadResult result = new LoadRun(target, config, dir, deadline, progress, faults).run();
            progress.printf("sync-load: %s: %s%n", target.name(), result.ok() ? "ok" : "FAILED " + result.errors());
            results.add(result);
        }
        return results;
    }

    /**
     * The results as a Markdown table, then, when there are two, the first one's p99 over the second's (the
     * first target is Quire and the second the stock server in {@code quire bench sync}), then every problem.
     */
    public static String table(LoadConfig config, List<LoadResult> results) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d clients over %d documents, %s edits/s each, %ds measured after %ds"
                        + " of warm-up; latency = from an edit to its arrival at every other client of its document%n%n",
                config.clients(), config.docs(), fmt(config.editsPerSecond()), config.duration().toSeconds(),
                config.warmup().toSeconds()));
        out.append("| server | p50 ms | p99 ms | max ms | edits delivered | lost | acked | server CPU s | CPU % of a core |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (LoadResult r : results) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %,d / %,d | %,d | %s | %s | %s |%n",
                    r.target(), ms(r.p50Ms()), ms(r.p99Ms()), ms(r.maxMs()), r.delivered(), r.measuredEdits(),
                    r.lost(), r.acks() ? String.format(Locale.ROOT, "%,d / %,d", r.acked(), r.totalEdits()) : "n/a",
                    Double.isNaN(r.cpuSeconds()) ? "–" : String.format(Locale.ROOT, "%.2f", r.cpuSeconds()),
                    Double.isNaN(r.cpuSeconds()) ? "–" : String.format(Locale.ROOT, "%.1f", r.cpuPercentOfCore())));
        }
        if (results.size() == 2 && !Double.isNaN(results.get(0).p99Ms()) && !Double.isNaN(results.get(1).p99Ms())) {
            LoadResult a = results.get(0);
            LoadResult b = results.get(1);
            out.append(String.format(Locale.ROOT, "%np99 ratio %s / %s: %.2f× (target: at most 1); CPU ratio: %.2f×%n",
                    a.target(), b.target(), a.p99Ms() / b.p99Ms(), a.cpuSeconds() / b.cpuSeconds()));
        }
        for (LoadResult r : results) {
            for (String error : r.errors()) {
                out.append(String.format("%n%s: %s", r.target(), error));
            }
            if (!r.errors().isEmpty()) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    /**
     * Each target's median p50, p99 and CPU over its runs, with the p99's range, and the ratio of each target's
     * median p99 to the first target's: what several rounds say where one run cannot.
     */
    public static String medians(List<LoadResult> results) {
        java.util.Map<String, List<LoadResult>> byTarget = new java.util.LinkedHashMap<>();
        for (LoadResult r : results) {
            byTarget.computeIfAbsent(r.target(), t -> new ArrayList<>()).add(r);
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%nMedians over the rounds:%n%n| server | runs | p50 ms | p99 ms | p99 range ms | CPU %% of a core"
                        + " | p99 / first's |%n|---|---:|---:|---:|---|---:|---:|%n"));
        double first = Double.NaN;
        for (var e : byTarget.entrySet()) {
            List<LoadResult> runs = e.getValue();
            double[] p99s = runs.stream().mapToDouble(LoadResult::p99Ms).sorted().toArray();
            double p99 = median(p99s);
            if (Double.isNaN(first)) {
                first = p99;
            }
            out.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s-%s | %.1f | %.2f× |%n", e.getKey(),
                    runs.size(), ms(median(runs.stream().mapToDouble(LoadResult::p50Ms).toArray())), ms(p99),
                    ms(p99s[0]), ms(p99s[p99s.length - 1]),
                    median(runs.stream().mapToDouble(LoadResult::cpuPercentOfCore).toArray()), p99 / first));
        }
        return out.toString();
    }

    /** The middle value (the mean of the two middle ones for an even count); NaN for none. */
    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static String ms(double ms) {
        if (Double.isNaN(ms)) {
            return "–";
        }
        return String.format(Locale.ROOT, ms < 10 ? "%.2f" : "%.1f", ms);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
