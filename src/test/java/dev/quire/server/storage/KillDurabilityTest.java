package dev.quire.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5: "A kill -9 of the server never loses an acknowledged update." A child JVM appends and prints an ack line
 * after each {@code appendUpdate}; the test kills it mid-stream with SIGKILL, reopens the store and finds every
 * acknowledged update.
 */
class KillDurabilityTest {
    private static final long CLIENT = 4242;
    /** Enough acks that the child is well into its stream when it is killed. */
    private static final int KILL_AFTER_ACKS = 300;

    @TempDir
    Path dir;
    @TempDir
    Path logs;

    record Ack(long seq, int clock, int bytes, String token) {
        static Ack parse(String line) {
            String[] f = line.split(" ");
            // a line cut short by the kill lacks the final "."; it was never a complete ack
            if (f.length != 6 || !f[0].equals("ACK") || !f[5].equals(".")) {
                return null;
            }
            return new Ack(Long.parseLong(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4]);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyAcknowledgedUpdateSurvivesKillDashNine() throws Exception {
        String docId;
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            docId = store.createDocument("ws", "writer", "Stream").id();
        }
        Path stderr = logs.resolve("child-stderr.txt");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), KillDurabilityChild.class.getName(),
                dir.toString(), docId, Long.toString(CLIENT))
                .redirectError(stderr.toFile())
                .start();
        List<Ack> acks = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (acks.size() < KILL_AFTER_ACKS && (line = out.readLine()) != null) {
                Ack ack = Ack.parse(line);
                if (ack != null) {
                    acks.add(ack);
                }
            }
            assertEquals(KILL_AFTER_ACKS, acks.size(), () -> "the child stopped early: " + read(stderr));

            // while it writes, the data directory is locked against other processes
            StorageException locked = assertThrows(StorageException.class, () -> H2DocumentStore.open(dir));
            assertEquals(StorageException.Reason.LOCKED, locked.reason(), locked.getMessage());

            // SIGKILL on Unix: no shutdown hooks, no close. Through the ProcessHandle, because Process.destroyForcibly()
            // also closes our end of the pipe, and the acks still in it would be lost to the test.
            assertTrue(child.toHandle().destroyForcibly());
            // lines still in the pipe were printed after their commit: they are acks as well
            while ((line = out.readLine()) != null) {
                Ack ack = Ack.parse(line);
                if (ack != null) {
                    acks.add(ack);
                }
            }
        }
        int exit = child.waitFor();
        assertNotEquals(0, exit, "the child was killed, it did not finish (exit " + exit + ")");

        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            Map<Long, HistoryEntry> stored = store.history(docId).stream()
                    .collect(Collectors.toMap(HistoryEntry::seq, Function.identity()));
            Doc loaded = new Doc(1);
            Updates.applyUpdate(loaded, store.loadState(docId));
            String text = loaded.getText("content").toString();
            for (Ack ack : acks) {
                HistoryEntry entry = stored.get(ack.seq());
                assertTrue(entry != null, "acknowledged update " + ack + " is missing; stored up to seq "
                        + stored.size());
                assertEquals(ack.bytes(), entry.byteLength());
                assertTrue(text.contains(ack.token()), "the text lacks " + ack.token());
            }
            Ack last = acks.get(acks.size() - 1);
            assertTrue(loaded.stateVector().get(CLIENT) >= last.clock());
            assertTrue(stored.size() <= acks.size() + 1, "at most one update was stored but not acknowledged");
            System.out.printf("killed after %d acks; %d updates stored%n", acks.size(), stored.size());
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
