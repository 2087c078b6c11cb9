package dev.quire.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used so far, from Linux's {@code /proc/PID/stat} (proc(5)): fields 14 and 15, utime and
 * stime, in clock ticks. Both servers run as child processes and are measured by this one reader, so the JVM and
 * Node are charged the same way (JIT and GC threads included, children not).
 */
final class ProcCpu {
    private final Path stat;
    private final double ticksPerSecond;

    ProcCpu(long pid) {
        this.stat = Path.of("/proc", Long.toString(pid), "stat");
        this.ticksPerSecond = clockTicks();
    }

    /** Seconds of CPU (user + system) used by the process since it started. */
    double seconds() {
        String line;
        try {
            line = Files.readString(stat, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + stat + " (is this Linux, and is the process alive?)", e);
        }
        return parseTicks(line) / ticksPerSecond;
    }

    /** utime + stime of one stat line. The command name (field 2) may hold spaces and ')', so split after the last ')'. */
    static long parseTicks(String statLine) {
        String[] f = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state), so field 14 (utime) is f[11] and field 15 (stime) is f[12]
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** sysconf(_SC_CLK_TCK); 100 on every mainstream Linux, asked of getconf in case this one differs. */
    private static double clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (p.waitFor() == 0 && out.matches("\\d+")) {
                return Long.parseLong(out);
            }
        } catch (IOException e) {
            // no getconf: fall through to the usual value
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
