package dev.quire.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * One running Quire per data folder (issue 7): the first launch holds {@code instance.lock} in the folder and listens
 * on loopback; a second launch on the same folder finds the lock taken and, instead of opening the same databases
 * again, asks the first to show a window (or to open the link or file it was started with), then exits.
 *
 * <p>The port and a random secret are in {@code instance.properties} (owner-only): only someone who can read the
 * user's folder can ask. The request is one line, the secret and a command ({@code show}, or {@code open} and the
 * target in URL-safe Base64); the answer is {@code ok}.
 */
public final class SingleInstance implements AutoCloseable {
    private static final String LOCK = "instance.lock";
    private static final String ADDRESS = "instance.properties";
    private static final String SHOW = "show";
    private static final String OPEN = "open";

    private final FileChannel channel;
    private final FileLock lock;
    private final ServerSocket listener;
    private final String secret;
    private final Thread acceptor;
    private volatile boolean closed;

    private SingleInstance(FileChannel channel, FileLock lock, ServerSocket listener, String secret,
                           Consumer<String> onShow) {
        this.channel = channel;
        this.lock = lock;
        this.listener = listener;
        this.secret = secret;
        this.acceptor = new Thread(() -> accept(onShow), "quire-instance");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Becomes the running instance for {@code dir}, or finds that another is: empty then. {@code onShow} runs (on the
     * listener's thread) whenever a later launch hands over, with the link or file it was given (null: none).
     */
    public static Optional<SingleInstance> claim(Path dir, Consumer<String> onShow) throws IOException {
        Files.createDirectories(dir);
        FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held in this very process (tests launch twice in one JVM)
        }
        if (lock == null) {
            channel.close();
            return Optional.empty();
        }
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        String secret = HexFormat.of().formatHex(random(24));
        Properties p = new Properties();
        p.setProperty("port", Integer.toString(listener.getLocalPort()));
        p.setProperty("secret", secret);
        Path file = dir.resolve(ADDRESS);
        Path tmp = dir.resolve(ADDRESS + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Windows: the user's profile folder is already private to them
        }
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "the running Quire (see SingleInstance)");
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return Optional.of(new SingleInstance(channel, lock, listener, secret, onShow));
    }

    /**
     * A later launch: asks the running instance for {@code dir} to show a window, and to open {@code target} (a link or
     * a file; null for none). True when it answered; false when none answered (then the caller may start, if it can
     * take the lock).
     */
    public static boolean handOver(Path dir, String target) {
        String command = target == null ? SHOW : OPEN + " " + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(target.getBytes(StandardCharsets.UTF_8));
        Properties p = new Properties();
        try (var in = Files.newInputStream(dir.resolve(ADDRESS))) {
            p.load(in);
            int port = Integer.parseInt(p.getProperty("port", "0"));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
                s.setSoTimeout(5000);
                s.getOutputStream().write((p.getProperty("secret", "") + " " + command + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
                String answer = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.UTF_8)).readLine();
                return "ok".equals(answer);
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private void accept(Consumer<String> onShow) {
        while (!closed) {
            try (Socket s = listener.accept()) {
                s.setSoTimeout(5000);
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                Optional<Optional<String>> request = line == null ? Optional.empty() : parse(line);
                s.getOutputStream().write((request.isPresent() ? "ok\n" : "refused\n")
                        .getBytes(StandardCharsets.UTF_8));
                request.ifPresent(target -> onShow.accept(target.orElse(null)));
            } catch (IOException e) {
                // one bad caller; keep listening unless closed
            }
        }
    }

    /** A request with the right secret: what to open (empty for show); empty outside for anything else. */
    private Optional<Optional<String>> parse(String line) {
        int space = line.indexOf(' ');
        String key = space < 0 ? line : line.substring(0, space);
        // compared in constant time, so the answer's timing says nothing of the secret
        if (!MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        String command = space < 0 ? "" : line.substring(space + 1);
        if (command.equals(SHOW)) {
            return Optional.of(Optional.empty());
        }
        if (command.startsWith(OPEN + " ")) {
            try {
                return Optional.of(Optional.of(new String(Base64.getUrlDecoder().decode(command.substring(OPEN.length() + 1)),
                        StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the process is ending; the OS releases both
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
