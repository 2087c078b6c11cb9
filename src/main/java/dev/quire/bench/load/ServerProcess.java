package dev.quire.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A server under test, run as a child process: its output is copied to a log file (and watched for a readiness
 * line), its CPU is read from /proc, and it is killed with the bench (a shutdown hook) if nobody closes it first.
 */
final class ServerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final Thread shutdownHook;
    private final ProcCpu cpu;

    private ServerProcess(String name, Process process, Path log, Predicate<String> readyLine) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.cpu = new ProcCpu(process.pid());
        this.shutdownHook = new Thread(process::destroyForcibly, name + "-kill");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Thread pump = new Thread(() -> pump(readyLine), name + "-output");
        pump.setDaemon(true);
        pump.start();
        process.onExit().thenRun(() -> ready.completeExceptionally(new IOException(
                name + " exited with code " + process.exitValue() + " before it was ready; see " + log)));
    }

    /**
     * Starts {@code command} in {@code dir}; {@code readyLine} (may be null) recognises the output line that says
     * the server listens.
     */
    static ServerProcess start(String name, List<String> command, Map<String, String> env, Path dir,
            Predicate<String> readyLine) throws IOException {
        Files.createDirectories(dir);
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        return new ServerProcess(name, pb.start(), log, readyLine);
    }

    private void pump(Predicate<String> readyLine) {
        try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                if (readyLine != null && readyLine.test(line)) {
                    ready.complete(line);
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
    }

    /** Waits for the readiness line. */
    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        try {
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException(name + " did not say it was ready within " + timeout + "; see " + log);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** CPU seconds (user + system) the server has used since it started. */
    double cpuSeconds() {
        return cpu.seconds();
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
    }

    /** A port that was free a moment ago; the child binds it (a small race, acceptable on loopback). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
