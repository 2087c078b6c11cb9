package dev.quire.server;

import dev.quire.server.access.AccessService;
import dev.quire.server.auth.FileUserDirectory;
import dev.quire.server.auth.JwtVerifier;
import dev.quire.server.auth.KeyRing;
import dev.quire.server.auth.PasswordHasher;
import dev.quire.server.auth.Tickets;
import dev.quire.server.auth.TokenIssuer;
import dev.quire.server.auth.TokenService;
import dev.quire.server.auth.TokenVerifier;
import dev.quire.server.auth.User;
import dev.quire.server.http.ApiRoutes;
import dev.quire.server.http.Discovery;
import dev.quire.server.http.HttpApi;
import dev.quire.server.storage.H2DocumentStore;
import dev.quire.server.storage.H2Storage;
import dev.quire.server.sync.SyncServer;
import dev.quire.server.sync.SyncServerConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference server, wired: storage (H2), users file and signing keys, the token service or an external identity
 * provider's keys, access rules, the sync WebSocket and the HTTP API, sharing one metrics registry. {@code ./quire
 * server} runs it; the desktop app embeds it as its local default; tests start it on free loopback ports.
 */
public final class QuireServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QuireServer.class);
    /** The issuer of our own tokens unless a public URL is configured: stable across restarts and port changes. */
    static final String DEFAULT_ISSUER = "quire";

    private final ServerConfig config;
    private final List<AutoCloseable> parts;
    private final FileUserDirectory users;
    private final KeyRing keys;
    private final PasswordHasher hasher;
    private final SyncServer sync;
    private final HttpApi http;
    private final PrometheusMeterRegistry metrics;
    private final TokenService tokens; // null with an external identity provider

    private QuireServer(ServerConfig config, List<AutoCloseable> parts, FileUserDirectory users,
                        KeyRing keys, PasswordHasher hasher, SyncServer sync, HttpApi http,
                        PrometheusMeterRegistry metrics, TokenService tokens) {
        this.tokens = tokens;
        this.config = config;
        this.parts = parts;
        this.users = users;
        this.keys = keys;
        this.hasher = hasher;
        this.sync = sync;
        this.http = http;
        this.metrics = metrics;
    }

    /** Opens the data directory and starts listening; on any failure, everything opened so far is closed again. */
    public static QuireServer start(ServerConfig config, Clock clock) {
        return start(config, clock, UnaryOperator.identity());
    }

    /**
     * As {@link #start(ServerConfig, Clock)}, with the sync server's settings adjusted: for tests that need a small
     * frame limit or rate limit so that their bad input stays cheap. Production never calls it.
     */
    static QuireServer start(ServerConfig config, Clock clock, UnaryOperator<SyncServerConfig> tuneSync) {
        config.checkDevBinding();
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            SecureRandom random = new SecureRandom();
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            H2Storage storage = H2Storage.open(config.dataDir(),
                    H2DocumentStore.Options.defaults().withDurability(config.durability()).withClock(clock));
            opened.add(storage);
            FileUserDirectory users = openUsers(config, random);
            PasswordHasher hasher = new PasswordHasher(config.passwordIterations(), random);
            String issuer = config.issuer() != null ? config.issuer()
                    : config.publicUrl() != null ? config.publicUrl() : DEFAULT_ISSUER;

            KeyRing keys = null;
            TokenService tokens = null;
            JwtVerifier verifier;
            if (config.trustJwks() != null) {
                verifier = JwtVerifier.forTrustedJwks(config.trustJwks(), issuer, config.audience(), users, clock);
            } else {
                keys = openKeys(config, clock, random);
                TokenIssuer issuerOfTokens = new TokenIssuer(keys, issuer, config.audience(), config.accessTtl(),
                        clock, random);
                tokens = new TokenService(users, hasher, issuerOfTokens, storage.refreshTokens(), config.refreshTtl(),
                        clock, random);
                verifier = JwtVerifier.forKeyRing(keys, issuer, config.audience(), users, clock);
            }
            JwtVerifier jwt = verifier.withExpiredGrace(config.expiredGrace());
            TokenVerifier checked = token -> {
                JwtVerifier.Verified v = jwt.verifyDetailed(token);
                if (v.graced()) {
                    log.atWarn().addKeyValue("user", v.principal().userId())
                            .addKeyValue("expired_at", v.tokenExpiresAt())
                            .log("accepted an expired token within --expired-grace; the client should refresh");
                }
                return v.principal();
            };
            Tickets tickets = new Tickets(clock, random);
            AccessService access = new AccessService(storage.documents(), storage.workspaces(),
                    id -> users.byId(id).isPresent(), clock);

            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "quire-sync-timers");
                t.setDaemon(true);
                return t;
            });
            opened.add(scheduler::shutdownNow);
            if (tokens != null) {
                TokenService service = tokens;
                // Expired refresh families are useless but kept their rows; clear them out now and then.
                scheduler.scheduleWithFixedDelay(() -> {
                    try {
                        int n = service.pruneExpired();
                        log.atDebug().addKeyValue("families", n).log("pruned expired refresh tokens");
                    } catch (RuntimeException e) {
                        log.atWarn().setCause(e).log("pruning expired refresh tokens failed");
                    }
                }, 1, 60, TimeUnit.MINUTES);
            }
            SyncServerConfig syncConfig = tuneSync.apply(SyncServerConfig.defaults().withDevMode(config.dev())
                    // The grace is the verifier's alone: a token accepted within it already carries its extended
                    // deadline (exp + grace), so the connection must not add the grace a second time. A live
                    // connection whose token expires is closed at exp; reconnecting within the grace is accepted.
                    .withExpiry(config.warnBefore(), Duration.ZERO));
            SyncServer sync = new SyncServer(new InetSocketAddress(config.host(), config.effectiveSyncPort()),
                    checked, tickets, access, storage.documents(), clock, scheduler, metrics, syncConfig);
            sync.start();
            opened.add(sync);

            Discovery discovery = new Discovery(config.publicUrl(), config.publicSyncUrl(), sync.port(), SyncServer.SUBPROTOCOL, issuer,
                    Version.current(), config.dev());
            ApiRoutes routes = new ApiRoutes(tokens, checked, tickets, access, keys == null ? null : keys::publicJwks,
                    nameOrId -> users.byName(nameOrId).or(() -> users.byId(nameOrId)).map(User::id),
                    id -> users.byId(id).map(User::name).orElse(id), sync::documentUpdated, sync::accessChanged, discovery, metrics,
                    () -> healthy(storage), config.dev());
            HttpApi http = HttpApi.start(new InetSocketAddress(config.host(), config.httpPort()), routes, 16);
            opened.add(http);

            if (config.dev()) {
                log.atWarn().addKeyValue("host", config.host()).log("DEV MODE: no login; every connection is user"
                        + " 'dev'. Never use dev mode for real documents or on a network.");
            }
            log.atInfo().addKeyValue("http", http.port()).addKeyValue("sync", sync.port())
                    .addKeyValue("data", config.dataDir().toAbsolutePath()).addKeyValue("issuer", issuer)
                    .addKeyValue("external_idp", config.trustJwks() != null).log("Quire server started");
            return new QuireServer(config, List.copyOf(opened), users, keys, hasher, sync, http, metrics, tokens);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    static FileUserDirectory openUsers(ServerConfig config, SecureRandom random) {
        return new FileUserDirectory(config.usersFileOrDefault(), random);
    }

    static KeyRing openKeys(ServerConfig config, Clock clock, SecureRandom random) {
        // Retired keys must verify every token they signed, including those accepted within the grace.
        return KeyRing.open(keysFile(config.dataDir()), config.accessTtl().plus(config.expiredGrace()), clock,
                random);
    }

    static Path keysFile(Path dataDir) {
        return dataDir.resolve("keys.json");
    }

    private static boolean healthy(H2Storage storage) {
        try {
            storage.documents().document("healthz-probe");
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public URI httpUrl() {
        return URI.create("http://" + hostForUrl() + ":" + http.port());
    }

    public URI syncUrl() {
        return URI.create("ws://" + hostForUrl() + ":" + sync.port());
    }

    public int httpPort() {
        return http.port();
    }

    public int syncPort() {
        return sync.port();
    }

    public ServerConfig config() {
        return config;
    }

    /** Adds a user (as {@code ./quire server user add} does); for the embedded server and tests. */
    public User addUser(String name, char[] password) {
        return users.add(name, hasher.hash(password));
    }

    /**
     * Ends every session of a user (an admin's "sign out everywhere"): their refresh tokens are revoked, so each app
     * is refused at its next refresh and signs out. Returns how many sessions ended; 0 for an unknown user or with an
     * external identity provider (it owns the sessions).
     */
    public int signOutEverywhere(String userName) {
        if (tokens == null) {
            return 0;
        }
        return users.byName(userName).map(u -> tokens.revokeAllOf(u.id())).orElse(0);
    }

    public FileUserDirectory users() {
        return users;
    }

    public Optional<KeyRing> keys() {
        return Optional.ofNullable(keys);
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    private String hostForUrl() {
        String h = config.host();
        if (h.equals("0.0.0.0") || h.equals("::")) {
            return "127.0.0.1";
        }
        return h.contains(":") ? "[" + h + "]" : h;
    }

    /** Stops accepting, closes every connection (1001) and the database; acknowledged updates are already durable. */
    @Override
    public void close() {
        closeAll(parts);
        log.info("Quire server stopped");
    }

    /** Closes in reverse order of opening: the listeners before the database they write to. */
    private static void closeAll(List<AutoCloseable> opened) {
        List<AutoCloseable> reversed = new ArrayList<>(opened);
        Collections.reverse(reversed);
        for (AutoCloseable part : reversed) {
            try {
                part.close();
            } catch (Exception e) {
                log.atWarn().setCause(e).log("closing a server part failed");
            }
        }
    }
}
