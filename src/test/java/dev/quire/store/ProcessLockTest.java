package dev.quire.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A profile is open in one place at a time: a second open, here or in another process, fails LOCKED. */
class ProcessLockTest {
    @TempDir
    Path dir;

    private final TestClock clock = TestClock.at("2026-11-24T09:00:00Z");

    @Test
    void aSecondOpenInThisJvmFailsLockedAndSucceedsAfterClose() {
        try (LocalStore store = LocalStore.open(dir, clock)) {
            LocalStoreException e = assertThrows(LocalStoreException.class, () -> LocalStore.open(dir, clock));
            assertEquals(LocalStoreException.Reason.LOCKED, e.reason());
            assertTrue(e.getMessage().contains("open in another Quire"), e.getMessage());
            store.documents(); // the first one is unharmed
        }
        LocalStore.open(dir, clock).close();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anotherProcessCannotOpenTheProfileWhileThisOneHoldsIt() throws Exception {
        try (LocalStore store = LocalStore.open(dir, clock)) {
            String out = runChild();
            assertTrue(out.startsWith("FAILED LOCKED"), out);
        }
        assertEquals("OPENED", runChild().trim(), "once closed, the other process gets it");
    }

    private String runChild() throws Exception {
        Process p = StoreChild.command("open", dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out.lines().filter(l -> l.startsWith("OPENED") || l.startsWith("FAILED")).findFirst().orElse(out);
    }
}
