package dev.quire.engine;

import static dev.quire.engine.EngineFixture.awaitDrained;
import static dev.quire.engine.EngineFixture.awaitState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.sync.Backoff;
import dev.quire.sync.ConnectionState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 6: when the OS reports the network back, connections retry at once instead of waiting out their backoff. */
class NetworkBackTest {
    /** The longest wait full jitter can pick, every time. */
    private static final RandomGenerator LONGEST = new RandomGenerator() {
        @Override
        public long nextLong() {
            return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    @TempDir
    Path dir;

    @Test
    void theNetworkComingBackEndsTheBackoffWait() throws Exception {
        try (EngineFixture fx = new EngineFixture(dir, Clock.systemUTC(), Duration.ofMinutes(15))) {
            String docId = fx.createDocument("alice", "network");
            AtomicBoolean osNetwork = new AtomicBoolean(true);
            AtomicInteger probes = new AtomicInteger();
            Backoff slow = new Backoff(Duration.ofSeconds(60), Duration.ofSeconds(60));
            Account alice = fx.signIn(fx.engine("laptop", slow, LONGEST, () -> {
                probes.incrementAndGet();
                return osNetwork.get();
            }), "alice");
            OpenDocument d = alice.open(docId);
            awaitState(d, ConnectionState.CONNECTED);

            osNetwork.set(false);
            int seen = probes.get();
            fx.syncProxy.refuse(true); // the Wi-Fi went
            DocumentStatus waiting = EngineFixture.awaitStatus(d, s -> s.connection().state()
                    == ConnectionState.RECONNECTING, "backing off");
            Instant retryAt = waiting.connection().nextRetryAt().orElseThrow();
            assertTrue(Duration.between(Instant.now(), retryAt).toSeconds() > 30, "a long wait: " + retryAt);
            synchronized (d.doc()) {
                d.doc().getText("t").insert(0, "typed on the train");
            }

            EngineFixture.await("the monitor to look at the network while it was down", () -> probes.get() > seen + 1);
            fx.syncProxy.refuse(false);
            osNetwork.set(true); // the OS reports it back (seen within one poll)
            EngineFixture.await(Duration.ofSeconds(10), "the connection to come back long before its retry time",
                    () -> d.status().connection().state() == ConnectionState.CONNECTED);
            awaitDrained(d);
            assertEquals("typed on the train", fx.serverText("alice", docId));
        }
    }
}
