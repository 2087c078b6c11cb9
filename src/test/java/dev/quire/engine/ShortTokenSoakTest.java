package dev.quire.engine;

import static dev.quire.engine.EngineFixture.awaitDrained;
import static dev.quire.engine.EngineFixture.awaitState;
import static dev.quire.engine.EngineFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.session.SessionEvent;
import dev.quire.sync.ConnectionState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's soak: 2-second access tokens and continuous typing in two windows for 60 s ({@code -Dquire.soak.seconds=N}
 * for longer): no connection is ever closed for expiry, every refresh succeeds, and the server ends with every edit
 * exactly once.
 */
class ShortTokenSoakTest {
    private static final int SECONDS = Integer.getInteger("quire.soak.seconds", 60);
    private static final int EDITS_PER_SECOND = 20;

    @TempDir
    Path dir;

    @Test
    void twoSecondTokensForAMinuteOfTypingCauseNoExpiryCloseAndLoseNothing() throws Exception {
        try (EngineFixture fx = new EngineFixture(dir, Clock.systemUTC(), Duration.ofSeconds(2))) {
            String docId = fx.createDocument("alice", "soak");
            Account alice = fx.signIn(fx.engine("laptop"), "alice");
            AtomicInteger refreshes = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            alice.addListener(e -> {
                if (e instanceof SessionEvent.TokenRefreshed) {
                    refreshes.incrementAndGet();
                } else if (e instanceof SessionEvent.RefreshFailed || e instanceof SessionEvent.SessionEnded) {
                    failures.incrementAndGet();
                }
            });
            List<OpenDocument> windows = List.of(alice.open(docId), alice.open(docId));
            AtomicInteger closes = new AtomicInteger();
            for (OpenDocument w : windows) {
                w.addListener(s -> {
                    if (s.connection().state() == ConnectionState.RECONNECTING) {
                        closes.incrementAndGet();
                    }
                });
                awaitState(w, ConnectionState.CONNECTED);
            }

            AtomicInteger typed = new AtomicInteger();
            Random random = new Random(6);
            ScheduledExecutorService typist = Executors.newSingleThreadScheduledExecutor();
            try {
                typist.scheduleAtFixedRate(() -> {
                    OpenDocument w = windows.get(typed.get() % 2);
                    synchronized (w.doc()) {
                        var t = w.doc().getText("t");
                        t.insert(random.nextInt(t.length() + 1), String.valueOf((char) ('a' + random.nextInt(26))));
                    }
                    typed.incrementAndGet();
                }, 0, 1000 / EDITS_PER_SECOND, TimeUnit.MILLISECONDS);
                typist.schedule(() -> { }, SECONDS, TimeUnit.SECONDS).get(); // the soak's length, not a wait for a result
            } finally {
                typist.shutdown();
                typist.awaitTermination(5, TimeUnit.SECONDS);
            }

            for (OpenDocument w : windows) {
                awaitDrained(w);
            }
            String server = fx.serverText("alice", docId);
            assertEquals(typed.get(), server.length(), "every edit exactly once");
            EngineFixture.awaitText(windows.get(0), server);
            EngineFixture.awaitText(windows.get(1), server);
            assertEquals(0, closes.get(), "no connection dropped");
            for (OpenDocument w : windows) {
                assertEquals(0, w.status().connection().lastCloseCode(), "never closed: " + w.status());
            }
            assertEquals(0, failures.get(), "every refresh succeeded");
            assertTrue(refreshes.get() >= SECONDS, refreshes.get() + " refreshes in " + SECONDS + " s of 2 s tokens");
            assertTrue(typed.get() >= SECONDS * EDITS_PER_SECOND * 9 / 10, "typed " + typed.get());
            assertEquals(server, text(windows.get(0)));
        }
    }
}
