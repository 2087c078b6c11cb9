package dev.quire.net;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A JDK HttpServer on loopback answering every request with one canned status, content type and body. */
final class StubHttp implements AutoCloseable {
    private final HttpServer server;
    private volatile int status;
    private volatile String type;
    private volatile String body;
    private volatile CountDownLatch stall;

    StubHttp(int initialStatus, String initialType, String initialBody) {
        answer(initialStatus, initialType, initialBody);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                CountDownLatch s = stall;
                if (s != null) {
                    try {
                        s.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                byte[] b = this.body.getBytes(StandardCharsets.UTF_8);
                if (this.type != null) {
                    ex.getResponseHeaders().add("Content-Type", this.type);
                }
                ex.sendResponseHeaders(this.status, b.length == 0 ? -1 : b.length);
                if (b.length > 0) {
                    ex.getResponseBody().write(b);
                }
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    void answer(int status, String type, String body) {
        this.status = status;
        this.type = type;
        this.body = body;
    }

    /** Holds every answer until closed (a server that accepted the request and went silent). */
    void stall() {
        stall = new CountDownLatch(1);
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** A loopback URL where nothing listens. */
    static URI closedPort(String path) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort() + path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        CountDownLatch s = stall;
        if (s != null) {
            s.countDown();
        }
        server.stop(0);
    }
}
