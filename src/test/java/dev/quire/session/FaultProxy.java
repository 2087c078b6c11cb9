package dev.quire.session;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP proxy in front of the real server's HTTP API, standing in for the network: it counts the requests that
 * reach the token endpoint (by grant type) and can answer 503 instead, drop connections, or hold requests until
 * released.
 */
final class FaultProxy implements AutoCloseable {
    enum Mode { FORWARD, UNAVAILABLE, DROP }

    private final URI target;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private volatile Mode mode = Mode.FORWARD;
    private volatile CountDownLatch gate;
    private final AtomicInteger held = new AtomicInteger();
    final AtomicInteger refreshRequests = new AtomicInteger();
    final AtomicInteger passwordRequests = new AtomicInteger();
    final AtomicInteger revokeRequests = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();

    FaultProxy(URI target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void mode(Mode m) {
        mode = m;
    }

    /** From now on, requests wait at the proxy until {@link #release()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    /** Waits until {@code n} requests are being held. */
    void awaitHeld(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (held.get() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + held.get() + " of " + n + " requests reached the proxy");
            }
            Thread.onSpinWait();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = ex.getRequestURI().getPath();
            String form = new String(body, StandardCharsets.UTF_8);
            if (path.equals("/auth/token")) {
                (form.contains("grant_type=refresh_token") ? refreshRequests : passwordRequests).incrementAndGet();
            } else if (path.equals("/auth/revoke")) {
                revokeRequests.incrementAndGet();
            }
            CountDownLatch g = gate;
            if (g != null) {
                held.incrementAndGet();
                try {
                    g.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    held.decrementAndGet();
                }
            }
            switch (mode) {
                case DROP -> {
                    refused.incrementAndGet();
                    return; // closed without an answer: the client sees an IOException
                }
                case UNAVAILABLE -> {
                    refused.incrementAndGet();
                    byte[] msg = "{\"error\":\"unavailable\"}".getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().add("Content-Type", "application/json");
                    ex.sendResponseHeaders(503, msg.length);
                    ex.getResponseBody().write(msg);
                    return;
                }
                case FORWARD -> forward(ex, path, body);
            }
        }
    }

    private void forward(HttpExchange ex, String path, byte[] body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(target.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type != null) {
            b.header("Content-Type", type);
        }
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        r.headers().firstValue("Content-Type").ifPresent(v -> ex.getResponseHeaders().add("Content-Type", v));
        byte[] out = r.body();
        ex.sendResponseHeaders(r.statusCode(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            ex.getResponseBody().write(out);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
