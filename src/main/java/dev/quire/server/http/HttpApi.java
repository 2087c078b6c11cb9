package dev.quire.server.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's HTTP side on the JDK's built-in server (no container needed for a handful of JSON endpoints): the
 * token endpoint, tickets, JWKS, discovery, the document API, health and metrics. Routes are given by {@link
 * ApiRoutes}.
 */
public final class HttpApi implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    private HttpApi(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds {@code address} (port 0 picks a free port) and starts serving. */
    public static HttpApi start(InetSocketAddress address, ApiRoutes routes, int threads) {
        // The JDK server leaves Nagle's algorithm on unless told otherwise; a small response then waits for the
        // client's delayed ACK, ~40 ms per request on loopback (measured by `quire bench client`: a token refresh took
        // 50 ms, /healthz 45 ms). Read once, when the JDK's server classes load; an explicit setting wins.
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
        HttpServer server;
        try {
            server = HttpServer.create(address, 128);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for HTTP on " + address + ": " + e.getMessage(), e);
        }
        AtomicInteger n = new AtomicInteger();
        // Bounded: a flood of requests queues instead of spawning threads without end; when the queue is full the
        // dispatcher thread runs the request itself, which stops it accepting more until then (backpressure rather
        // than an exception inside HttpServer's dispatcher).
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(1024), r -> {
                    Thread t = new Thread(r, "quire-http-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        executor.allowCoreThreadTimeOut(true);
        server.setExecutor(executor);
        server.createContext("/", routes.router());
        server.start();
        return new HttpApi(server, executor);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
