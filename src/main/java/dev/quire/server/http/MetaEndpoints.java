package dev.quire.server.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Discovery ({@code /.well-known/quire}), the public keys, {@code /healthz} and {@code /metrics} (Prometheus text). */
final class MetaEndpoints {
    private final Discovery discovery;
    private final Supplier<String> jwks;
    private final PrometheusMeterRegistry metrics;
    private final BooleanSupplier healthy;

    MetaEndpoints(Discovery discovery, Supplier<String> jwks, PrometheusMeterRegistry metrics,
                  BooleanSupplier healthy) {
        this.discovery = discovery;
        this.jwks = jwks;
        this.metrics = metrics;
        this.healthy = healthy;
    }

    void register(Router r) {
        r.route("GET", "/.well-known/quire", ex -> ex.json(200, discovery.describe(ex.header("Host").orElse(null))));
        if (jwks != null) {
            r.route("GET", "/.well-known/jwks.json", ex -> ex.send(200, "application/jwk-set+json",
                    jwks.get().getBytes(StandardCharsets.UTF_8)));
        }
        r.route("GET", "/healthz", ex -> {
            boolean ok = healthy.getAsBoolean();
            ex.json(ok ? 200 : 503, Map.of("status", ok ? "ok" : "unavailable"));
        });
        r.route("GET", "/metrics", ex -> ex.send(200, "text/plain; version=0.0.4; charset=utf-8",
                metrics.scrape().getBytes(StandardCharsets.UTF_8)));
    }
}
