package dev.quire.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.testing.TestClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6: "a local store that never loses a keystroke". A child JVM appends edits in a loop and prints a line after
 * each append returns; the test kills it with SIGKILL mid-stream, reopens the store and finds every one of them.
 */
class KillDurabilityTest {
    private static final int KILL_AFTER = 300;

    @TempDir
    Path dir;
    @TempDir
    Path logs;

    record Appended(long seq, String token) {
        static Appended parse(String line) {
            String[] f = line.split(" ");
            // a line cut short by the kill lacks the final "."
            if (f.length != 4 || !f[0].equals("APPENDED") || !f[3].equals(".")) {
                return null;
            }
            return new Appended(Long.parseLong(f[1]), f[2]);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyEditWhoseAppendReturnedSurvivesKillDashNine() throws Exception {
        Path stderr = logs.resolve("child-stderr.txt");
        Process child = StoreChild.command("append", dir.toString(), "doc", "alice", "4242")
                .redirectError(stderr.toFile()).start();
        List<Appended> appended = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (appended.size() < KILL_AFTER && (line = out.readLine()) != null) {
                Appended a = Appended.parse(line);
                if (a != null) {
                    appended.add(a);
                }
            }
            assertEquals(KILL_AFTER, appended.size(), () -> "the child stopped early: " + read(stderr));
            // SIGKILL through the handle: Process.destroyForcibly() would also close our end of the pipe
            assertTrue(child.toHandle().destroyForcibly());
            while ((line = out.readLine()) != null) { // printed after their commit: they count too
                Appended a = Appended.parse(line);
                if (a != null) {
                    appended.add(a);
                }
            }
        }
        assertNotEquals(0, child.waitFor(), "the child was killed, it did not finish");

        try (LocalStore store = LocalStore.open(dir, TestClock.at("2026-11-24T09:00:00Z"))) {
            Set<Long> stored = store.pending("doc", "alice").stream().map(OutboxEntry::seq)
                    .collect(Collectors.toSet());
            String text = Editor.textOf(store.load("doc"));
            for (Appended a : appended) {
                assertTrue(stored.contains(a.seq()), "the edit " + a + " was appended but is gone");
                assertTrue(text.contains(a.token()), "the text lacks " + a.token());
            }
            assertTrue(stored.size() <= appended.size() + 1, "at most one edit was stored but not reported");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
