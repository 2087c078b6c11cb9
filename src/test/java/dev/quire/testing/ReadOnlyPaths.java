package dev.quire.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Makes files and directories unwritable for the test's duration. File permissions first; root ignores them, so
 * then the immutable attribute ({@code chattr +i}, needs CAP_LINUX_IMMUTABLE and a file system that has it);
 * without either the test is skipped with the reason.
 */
public final class ReadOnlyPaths {
    private final List<Path> paths;
    private boolean immutable;

    private ReadOnlyPaths(List<Path> paths) {
        this.paths = paths;
    }

    public static ReadOnlyPaths make(Path... paths) throws IOException {
        ReadOnlyPaths ro = new ReadOnlyPaths(List.of(paths));
        for (Path p : paths) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "r-xr-xr-x"
                    : "r--r--r--"));
        }
        if (ro.anyWritable()) { // running as root
            String out = chattr("+i", ro.paths);
            ro.immutable = true;
            if (out != null || ro.anyWritable()) {
                ro.restore();
                Assumptions.abort("running as root, which ignores file permissions, and `chattr +i` could not"
                        + " make " + List.of(paths) + " read-only (" + out + "): cannot test a read-only"
                        + " directory here");
            }
        }
        return ro;
    }

    private boolean anyWritable() {
        return paths.stream().anyMatch(Files::isWritable);
    }

    /** Runs chattr; null on success, else what went wrong. */
    private static String chattr(String flag, List<Path> paths) {
        List<String> command = new ArrayList<>(List.of("chattr", flag));
        paths.forEach(p -> command.add(p.toString()));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? null : "exit " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    public void restore() throws IOException {
        if (immutable) {
            chattr("-i", paths);
        }
        for (Path p : paths) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x"
                    : "rw-r--r--"));
        }
    }
}
