package dev.quire.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Quantile bounds from a Prometheus histogram as the Quire server publishes it. */
class AckHistogramTest {
    private static final String METRICS = """
            # HELP quire_ack_latency_seconds from receiving an update to acknowledging it
            # TYPE quire_ack_latency_seconds histogram
            quire_ack_latency_seconds_bucket{le="0.001"} 900
            quire_ack_latency_seconds_bucket{le="0.002"} 985
            quire_ack_latency_seconds_bucket{le="0.004"} 995
            quire_ack_latency_seconds_bucket{le="0.008"} 999
            quire_ack_latency_seconds_bucket{le="+Inf"} 1000
            quire_ack_latency_seconds_count 1000
            quire_updates_in_total 1000.0
            """;

    @Test
    void boundsAreTheFirstBucketsHoldingEachShare() {
        List<AckHistogram.Bucket> buckets = AckHistogram.buckets(METRICS);
        assertEquals(5, buckets.size());
        assertEquals(0.001, AckHistogram.bound(buckets, 0.5));
        assertEquals(0.004, AckHistogram.bound(buckets, 0.99));
        assertEquals(0.008, AckHistogram.bound(buckets, 0.999));
        String line = AckHistogram.summary(METRICS).orElseThrow();
        assertTrue(line.contains("1000 acks") && line.contains("p99 <= 4.00 ms"), line);
    }

    @Test
    void noHistogramNoReport() {
        assertTrue(AckHistogram.summary("quire_updates_in_total 0.0\n").isEmpty());
    }
}
