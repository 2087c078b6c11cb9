package dev.quire.app;

import dev.quire.server.QuireServer;
import dev.quire.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.Properties;

/**
 * "On this computer" (issue 7): Quire's own server, embedded, on loopback, with an account made for the person at the
 * keyboard. The app signs in to it like to any team server (the same token path; no dev mode), so everything it does
 * works the same against either.
 *
 * <p>Its folder holds the server's data and {@code local-account.properties} (owner-only): the account's name, its
 * generated password, and the ports. The ports are kept because the client's profile is per server URL: the same
 * ports next time mean the same profile, so the same local copies and outbox. If they are taken, new ones are chosen
 * (and the documents come back from this server into a fresh profile).
 */
public final class LocalServer implements AutoCloseable {
    private static final String ACCOUNT_FILE = "local-account.properties";
    private static final int LOCAL_PASSWORD_ITERATIONS = 1_000;

    /** How to sign in: the server's URL, the account's name and password. */
    public record Account(String url, String user, char[] password) {
        @Override
        public String toString() {
            return "Account[" + url + ", " + user + "]"; // never the password
        }
    }

    private final QuireServer server;
    private final Account account;

    private LocalServer(QuireServer server, Account account) {
        this.server = server;
        this.account = account;
    }

    /** Starts the embedded server under {@code dir}, creating it and its account on the first start. */
    public static LocalServer start(Path dir, Clock clock) {
        try {
            Files.createDirectories(dir);
            Properties props = load(dir);
            String user = props.getProperty("user", accountName());
            String password = props.getProperty("password", newPassword());
            int http = Integer.parseInt(props.getProperty("httpPort", "0"));
            int sync = Integer.parseInt(props.getProperty("syncPort", "0"));
            if (http == 0 || !free(http) || !free(sync)) {
                http = freePort();
                sync = freePort();
            }
            // The account's password is 24 random bytes, never typed: stretching it (600,000 PBKDF2 rounds for a
            // person's password) would only add a second to every start. A few rounds keep the stored form a hash.
            QuireServer server = QuireServer.start(ServerConfig.defaults(dir.resolve("data")).withPorts(http, sync)
                    .withPasswordIterations(LOCAL_PASSWORD_ITERATIONS), clock);
            if (server.users().byName(user).isEmpty()) {
                server.addUser(user, password.toCharArray());
            }
            props.setProperty("user", user);
            props.setProperty("password", password);
            props.setProperty("httpPort", String.valueOf(server.httpPort()));
            props.setProperty("syncPort", String.valueOf(server.syncPort()));
            save(dir, props);
            return new LocalServer(server, new Account(server.httpUrl().toString(), user, password.toCharArray()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the local server in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The URL the local server under {@code dir} had when it last ran, if it ever did: how the app tells a profile of
     * this computer's own server from a team server's.
     */
    public static java.util.Optional<String> lastUrl(Path dir) {
        try {
            Properties props = load(dir);
            String port = props.getProperty("httpPort");
            return port == null ? java.util.Optional.empty()
                    : java.util.Optional.of("http://127.0.0.1:" + Integer.parseInt(port));
        } catch (IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    public Account account() {
        return account;
    }

    @Override
    public void close() {
        server.close();
    }

    /** The OS user's name, made a valid account name. */
    private static String accountName() {
        String name = System.getProperty("user.name", "me").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "");
        return name.isEmpty() ? "me" : name;
    }

    private static String newPassword() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static Properties load(Path dir) throws IOException {
        Properties props = new Properties();
        Path file = dir.resolve(ACCOUNT_FILE);
        if (Files.exists(file)) {
            try (var r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(r);
            }
        }
        return props;
    }

    /** Written owner-only before a byte of the password goes in, then renamed over the old file. */
    private static void save(Path dir, Properties props) throws IOException {
        Path tmp = dir.resolve(ACCOUNT_FILE + ".tmp");
        Files.deleteIfExists(tmp);
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(tmp);
        }
        try (var w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            props.store(w, "Quire: the account of this computer's own server (keep private)");
        }
        Files.move(tmp, dir.resolve(ACCOUNT_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
