package dev.quire.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback between a client and a server, for faults: {@link #blackHole} swallows every byte in both
 * directions while leaving the connections open (a dead link that no socket notices), {@link #cutAll} closes every
 * proxied connection at once, {@link #refuse} makes the target unreachable (new connections close at once), {@link
 * #delay} holds every chunk back. A fault, not a fake: the bytes that pass are the real ones.
 */
public final class TcpFaultProxy implements AutoCloseable {
    private final ServerSocket listener;
    private volatile InetSocketAddress target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean blackHole;
    private volatile boolean refuse;
    private volatile long delayMillis;

    public TcpFaultProxy(InetSocketAddress target) throws IOException {
        this();
        this.target = target;
    }

    /** A proxy whose target is set later ({@link #forwardTo}): its port can be configured into the target first. */
    public TcpFaultProxy() throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "fault-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    public TcpFaultProxy forwardTo(InetSocketAddress target) {
        this.target = target;
        return this;
    }

    /** While on, the target is unreachable: open connections are cut and new ones closed at once. */
    public void refuse(boolean on) {
        refuse = on;
        if (on) {
            cutAll();
        }
    }

    /** Holds each chunk back this long before passing it on (0: none). */
    public void delay(java.time.Duration d) {
        delayMillis = d.toMillis();
    }

    /** While on, nothing passes either way, and nothing is closed. */
    public void blackHole(boolean on) {
        blackHole = on;
    }

    /** Closes every proxied connection (both sides), as a dropped link would. */
    public void cutAll() {
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (refuse || target == null) {
                    closeQuietly(client);
                    continue;
                }
                Socket server = new Socket(target.getAddress(), target.getPort());
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                open.add(client);
                open.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                // the listener closed, or the target refused: the client sees its connection fail
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (delayMillis > 0) {
                        Thread.sleep(delayMillis); // a slow link: this direction's bytes wait, in order
                    }
                    if (!blackHole) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side went away
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "fault-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closeQuietly(listener);
        cutAll();
    }

    private static void closeQuietly(ServerSocket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
