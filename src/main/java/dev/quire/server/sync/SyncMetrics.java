package dev.quire.server.sync;

import dev.quire.server.auth.AuthError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sync server's meters, all in the registry it was given (issue 5 "Operations"): {@code quire.connections}
 * (authenticated connections now), {@code quire.auth.failures{code}}, {@code quire.renewals},
 * {@code quire.updates.in}, {@code quire.bytes.in}, {@code quire.bytes.out}, {@code quire.ack.latency} (receipt of
 * an update to its ack, as a histogram) and {@code quire.closes{reason}} (connections the server closed, by reason).
 */
final class SyncMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger connections = new AtomicInteger();
    final Counter renewals;
    final Counter updatesIn;
    final Counter bytesIn;
    final Counter bytesOut;
    final Timer ackLatency;

    SyncMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("quire.connections", connections, AtomicInteger::get)
                .description("authenticated sync connections").register(registry);
        renewals = Counter.builder("quire.renewals").description("successful in-band token renewals")
                .register(registry);
        updatesIn = Counter.builder("quire.updates.in").description("Yjs updates received (sync step 2 and update)")
                .register(registry);
        bytesIn = Counter.builder("quire.bytes.in").baseUnit("bytes").description("WebSocket payload bytes received")
                .register(registry);
        bytesOut = Counter.builder("quire.bytes.out").baseUnit("bytes").description("WebSocket payload bytes sent")
                .register(registry);
        ackLatency = Timer.builder("quire.ack.latency").description("from receiving an update to acknowledging it")
                .publishPercentileHistogram().register(registry);
    }

    MeterRegistry registry() {
        return registry;
    }

    void connected() {
        connections.incrementAndGet();
    }

    void disconnected() {
        connections.decrementAndGet();
    }

    void authFailure(AuthError code) {
        registry.counter("quire.auth.failures", "code", code.name()).increment();
    }

    void closed(String reason) {
        registry.counter("quire.closes", "reason", reason).increment();
    }
}
