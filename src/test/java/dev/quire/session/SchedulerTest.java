package dev.quire.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The app's scheduler on a real executor: runs what is due, and a cancelled timer never runs. */
class SchedulerTest {

    @Test
    void runsATaskAndNeverOneThatWasCancelled() throws Exception {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try {
            Scheduler scheduler = Scheduler.of(executor);
            AtomicInteger cancelledRuns = new AtomicInteger();
            scheduler.schedule(cancelledRuns::incrementAndGet, Duration.ofMillis(50)).cancel();
            CountDownLatch ran = new CountDownLatch(2);
            scheduler.schedule(ran::countDown, Duration.ofMillis(100));
            scheduler.schedule(ran::countDown, Duration.ofMillis(-5)); // overdue: at once

            assertTrue(ran.await(10, TimeUnit.SECONDS));
            // past 100 ms the cancelled 50 ms task would have run already; wait a little more to be sure
            CountDownLatch later = new CountDownLatch(1);
            scheduler.schedule(later::countDown, Duration.ofMillis(120));
            assertTrue(later.await(10, TimeUnit.SECONDS));
            assertEquals(0, cancelledRuns.get());
        } finally {
            executor.shutdownNow();
        }
    }
}
