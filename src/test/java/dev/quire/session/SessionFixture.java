package dev.quire.session;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.quire.net.HttpTokenEndpoint;
import dev.quire.server.QuireServer;
import dev.quire.server.ServerConfig;
import dev.quire.testing.TestClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The real server in-process on loopback with its own {@link TestClock}, a {@link FaultProxy} in front of its HTTP API,
 * and everything a {@link Session} needs: the HTTP token endpoint through the proxy, a vault file in a temporary
 * profile, a {@link ManualScheduler} on a client {@link TestClock} (the same clock as the server's unless a test wants
 * skew), and a seeded random for the jitter.
 */
final class SessionFixture implements AutoCloseable {
    static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    static final String USER = "alice";
    static final String PASSWORD = "alice-password-1";
    static final Duration WAIT = Duration.ofSeconds(10);

    final TestClock serverClock;
    final TestClock clock;
    final QuireServer server;
    final FaultProxy proxy;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    final ManualScheduler scheduler;
    final RefreshTokenVault vault;
    final TokenEndpoint endpoint;
    final String userId;

    SessionFixture(Path dir, UnaryOperator<ServerConfig> configure) {
        this(dir, configure, Duration.ZERO);
    }

    /** @param serverAhead how far the server's clock is ahead of the client's (a separate clock when not zero) */
    SessionFixture(Path dir, UnaryOperator<ServerConfig> configure, Duration serverAhead) {
        serverClock = new TestClock(START.plus(serverAhead));
        clock = serverAhead.isZero() ? serverClock : new TestClock(START);
        server = QuireServer.start(configure.apply(ServerConfig.defaults(dir.resolve("server")).onFreePorts()
                .withPasswordIterations(1000)), serverClock);
        userId = server.addUser(USER, PASSWORD.toCharArray()).id();
        try {
            proxy = new FaultProxy(server.httpUrl());
        } catch (IOException e) {
            server.close();
            throw new UncheckedIOException(e);
        }
        scheduler = new ManualScheduler(clock);
        vault = RefreshTokenVault.inProfile(dir.resolve("profile"));
        endpoint = new HttpTokenEndpoint(http, proxy.url().resolve("/auth/token"), proxy.url().resolve("/auth/revoke"),
                Duration.ofSeconds(5));
    }

    Session.Services services() {
        return services(vault);
    }

    Session.Services services(RefreshTokenVault v) {
        return new Session.Services(endpoint, v, scheduler, clock, new SplittableRandom(42));
    }

    Session login() {
        return await(Session.login(services(), USER, PASSWORD.toCharArray()));
    }

    /** Moves both clocks (when they differ) without running any timer: a laptop waking up. */
    void jump(Duration d) {
        clock.advance(d);
        if (serverClock != clock) {
            serverClock.advance(d);
        }
    }

    /** POST /auth/revoke straight at the server, not through the proxy. */
    int revokeAtServer(String refreshToken) {
        return form("/auth/revoke", Map.of("token", refreshToken)).statusCode();
    }

    /** A refresh grant straight at the server: its status. */
    int refreshAtServer(String refreshToken) {
        return form("/auth/token", Map.of("grant_type", "refresh_token", "refresh_token", refreshToken)).statusCode();
    }

    /** The server's own count of successful refresh grants (Prometheus counter quire.token.grants). */
    double serverRefreshGrants() {
        var c = server.metrics().find("quire.token.grants").tag("grant", "refresh").tag("result", "ok").counter();
        return c == null ? 0 : c.count();
    }

    /** A counter of the server's metrics (0 before its first increment). */
    double serverCount(String name, String... tags) {
        var c = server.metrics().find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    private HttpResponse<String> form(String path, Map<String, String> fields) {
        String body = fields.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest r = HttpRequest.newBuilder(server.httpUrl().resolve(path)).timeout(WAIT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the future did not complete normally", e);
        }
    }

    /** Waits for the future to fail and returns the cause. */
    static Throwable failure(CompletableFuture<?> f) {
        try {
            Object v = f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure, got " + v);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("the future did not complete", e);
        }
    }

    /** A listener that queues what it hears. */
    static final class Events implements SessionListener {
        final BlockingQueue<SessionEvent> queue = new LinkedBlockingQueue<>();

        @Override
        public void onEvent(SessionEvent event) {
            queue.add(event);
        }

        <E extends SessionEvent> E next(Class<E> type) {
            SessionEvent e;
            try {
                e = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ie);
            }
            assertNotNull(e, "no " + type.getSimpleName() + " within " + WAIT);
            if (!type.isInstance(e)) {
                throw new AssertionError("expected " + type.getSimpleName() + ", got " + e);
            }
            return type.cast(e);
        }

        List<SessionEvent> drain() {
            List<SessionEvent> out = new java.util.ArrayList<>();
            queue.drainTo(out);
            return out;
        }
    }

    @Override
    public void close() {
        proxy.close();
        server.close();
    }
}
