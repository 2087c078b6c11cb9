package dev.quire.server;

import dev.quire.server.storage.Durability;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@code ./quire server} runs: where it listens, where it keeps its data, how long tokens live, and whether it
 * issues its own tokens or trusts an external identity provider's.
 *
 * @param host               the address to bind (default loopback; {@code 0.0.0.0} to serve a network)
 * @param httpPort           the HTTP port (token endpoint, JWKS, document API, health, metrics); 0 picks a free one
 * @param syncPort           the WebSocket port; -1 means {@code httpPort + 1} (0 with an HTTP port of 0)
 * @param dataDir            the H2 database, the signing keys and, by default, the users file
 * @param usersFile          the users file; null means {@code dataDir/users}
 * @param trustJwks          null: issue our own tokens; else a JWK set file or URL whose tokens are trusted instead
 * @param issuer             the {@code iss} issued and required; null means this server's HTTP URL
 * @param audience           the {@code aud} issued and required
 * @param expiredGrace       accept tokens expired by up to this much (with a warning; beyond the 60 s leeway), and
 *                           keep a connection opened with one until then; zero is off. A live connection's token
 *                           expiring is still closed at its exp: the client reconnects or renews
 * @param warnBefore         how long before a connection's token expires it is warned
 * @param publicUrl          the HTTP base URL clients see (behind a proxy); null derives it from the request
 * @param publicSyncUrl      the sync base URL clients see ({@code wss://...}); null derives it from the request
 * @param passwordIterations PBKDF2 iterations for new password hashes
 */
public record ServerConfig(String host, int httpPort, int syncPort, Path dataDir, Path usersFile,
                           Duration accessTtl, Duration refreshTtl, boolean dev, String trustJwks, String issuer,
                           String audience, Duration expiredGrace, Duration warnBefore, String publicUrl,
                           String publicSyncUrl, Durability durability, int passwordIterations) {

    public static final String DEFAULT_AUDIENCE = "quire";

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(accessTtl, "accessTtl");
        Objects.requireNonNull(refreshTtl, "refreshTtl");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(expiredGrace, "expiredGrace");
        Objects.requireNonNull(warnBefore, "warnBefore");
        Objects.requireNonNull(durability, "durability");
        if (trustJwks != null && issuer == null) {
            throw new IllegalArgumentException("--trust-jwks needs --issuer (and --audience): the issuer and"
                    + " audience that tokens of that identity provider carry");
        }
        if (dev && trustJwks != null) {
            throw new IllegalArgumentException("--dev and --trust-jwks exclude each other: dev mode has no login");
        }
    }

    /** Defaults of {@code ./quire server}: loopback, 8080/8081, 15-minute access and 30-day refresh tokens. */
    public static ServerConfig defaults(Path dataDir) {
        return new ServerConfig("127.0.0.1", 8080, -1, dataDir, null, Duration.ofMinutes(15), Duration.ofDays(30),
                false, null, null, DEFAULT_AUDIENCE, Duration.ZERO, Duration.ofSeconds(60), null, null,
                Durability.PROCESS_CRASH, 600_000);
    }

    /** For tests and the desktop app's embedded server: loopback, free ports. */
    public ServerConfig onFreePorts() {
        return new ServerConfig(host, 0, 0, dataDir, usersFile, accessTtl, refreshTtl, dev, trustJwks, issuer,
                audience, expiredGrace, warnBefore, publicUrl, publicSyncUrl, durability, passwordIterations);
    }

    /** Fixed ports (a restart on the ports clients know). */
    public ServerConfig withPorts(int http, int sync) {
        return new ServerConfig(host, http, sync, dataDir, usersFile, accessTtl, refreshTtl, dev, trustJwks, issuer,
                audience, expiredGrace, warnBefore, publicUrl, publicSyncUrl, durability, passwordIterations);
    }

    /** The sync base URL that discovery advertises (a proxy in front of the server), instead of the request's host. */
    public ServerConfig withPublicSyncUrl(String url) {
        return new ServerConfig(host, httpPort, syncPort, dataDir, usersFile, accessTtl, refreshTtl, dev, trustJwks,
                issuer, audience, expiredGrace, warnBefore, publicUrl, url, durability, passwordIterations);
    }

    public ServerConfig withDev(boolean d) {
        return new ServerConfig(host, httpPort, syncPort, dataDir, usersFile, accessTtl, refreshTtl, d, trustJwks,
                issuer, audience, expiredGrace, warnBefore, publicUrl, publicSyncUrl, durability, passwordIterations);
    }

    public ServerConfig withTokenLifetimes(Duration access, Duration refresh) {
        return new ServerConfig(host, httpPort, syncPort, dataDir, usersFile, access, refresh, dev, trustJwks,
                issuer, audience, expiredGrace, warnBefore, publicUrl, publicSyncUrl, durability, passwordIterations);
    }

    public ServerConfig withExpiry(Duration warn, Duration grace) {
        return new ServerConfig(host, httpPort, syncPort, dataDir, usersFile, accessTtl, refreshTtl, dev, trustJwks,
                issuer, audience, grace, warn, publicUrl, publicSyncUrl, durability, passwordIterations);
    }

    public ServerConfig withPasswordIterations(int iterations) {
        return new ServerConfig(host, httpPort, syncPort, dataDir, usersFile, accessTtl, refreshTtl, dev, trustJwks,
                issuer, audience, expiredGrace, warnBefore, publicUrl, publicSyncUrl, durability, iterations);
    }

    public Path usersFileOrDefault() {
        return usersFile != null ? usersFile : dataDir.resolve("users");
    }

    int effectiveSyncPort() {
        return syncPort >= 0 ? syncPort : httpPort == 0 ? 0 : httpPort + 1;
    }

    /**
     * Dev mode logs everyone in as {@code dev}; on a network that would hand every document to anyone who can reach
     * the port, so it binds to loopback or not at all.
     */
    void checkDevBinding() {
        if (!dev) {
            return;
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    throw new IllegalArgumentException("--dev refuses to listen on " + host + ": dev mode needs no"
                            + " login, so it binds to loopback (127.0.0.1 or ::1) only");
                }
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + host, e);
        }
    }
}
