package dev.quire.engine;

import dev.quire.net.Discovery;
import dev.quire.net.DocumentsApi;
import dev.quire.net.HttpTokenEndpoint;
import dev.quire.net.NetworkMonitor;
import dev.quire.net.ServerEndpoints;
import dev.quire.session.Failures;
import dev.quire.session.RefreshTokenVault;
import dev.quire.session.Scheduler;
import dev.quire.session.Session;
import dev.quire.session.TokenEndpoint;
import dev.quire.session.TokenEndpointException;
import dev.quire.store.LocalStore;
import dev.quire.store.Profile;
import dev.quire.store.Profiles;
import dev.quire.sync.Backoff;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The engine for one server: discovers it from one URL, signs users in (or resumes the last session), and keeps each
 * user's local store open while the engine runs, so that signing out and in again, or another window of the same
 * user, uses the same store (a store is locked against other processes, and opened once here).
 *
 * <p>Threads: one scheduler thread ({@link Environment#loop}) runs every connection's state machine and every timer;
 * sockets have Java-WebSocket's threads; each account has one writer thread for the server's updates.
 */
public final class ClientEngine implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ClientEngine.class);

    /**
     * What the engine needs from outside, injected so that tests control time, randomness and where secrets rest.
     *
     * @param loop    runs connection events and the session's timers; the engine does not shut it down
     * @param random  backoff jitter; shared by threads, so thread-safe (e.g. {@link java.util.Random})
     * @param vaults  where a profile's refresh token rests (the OS credential store, else a file in the profile)
     */
    public record Environment(HttpClient http, ScheduledExecutorService loop, Clock clock, RandomGenerator random,
                              Backoff backoff, Function<Profile, RefreshTokenVault> vaults, Duration requestTimeout,
                              BooleanSupplier network) {
        public Environment {
            Objects.requireNonNull(http, "http");
            Objects.requireNonNull(loop, "loop");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(random, "random");
            Objects.requireNonNull(backoff, "backoff");
            Objects.requireNonNull(vaults, "vaults");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            Objects.requireNonNull(network, "network");
        }

        /** Without a say on the network: the OS's interfaces ({@link NetworkMonitor#interfacesUp}). */
        public Environment(HttpClient http, ScheduledExecutorService loop, Clock clock, RandomGenerator random,
                           Backoff backoff, Function<Profile, RefreshTokenVault> vaults, Duration requestTimeout) {
            this(http, loop, clock, random, backoff, vaults, requestTimeout, NetworkMonitor::interfacesUp);
        }

        /** The real thing: the system clock, a daemon scheduler thread, the OS credential store where there is one. */
        public static Environment system() {
            ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "quire-engine");
                t.setDaemon(true);
                return t;
            });
            return new Environment(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), loop,
                    Clock.systemUTC(), new Random(), Backoff.DEFAULT,
                    p -> RefreshTokenVault.forProfile(p.directory(), p.directory().getFileName().toString()),
                    Duration.ofSeconds(20));
        }

        /** The same, with every refresh token in its profile's file (tests, and machines without a keyring). */
        public Environment withVaultsInProfiles() {
            return new Environment(http, loop, clock, random, backoff, p -> RefreshTokenVault.inProfile(p.directory()),
                    requestTimeout, network);
        }
    }

    private final ServerEndpoints endpoints;
    private final Profiles profiles;
    private final Environment env;
    private final TokenEndpoint tokenEndpoint;
    private final Map<Path, LocalStore> stores = new HashMap<>();
    private final List<Account> accounts = new CopyOnWriteArrayList<>();
    private final NetworkMonitor network;

    private ClientEngine(ServerEndpoints endpoints, Profiles profiles, Environment env) {
        this.endpoints = endpoints;
        this.profiles = profiles;
        this.env = env;
        this.tokenEndpoint = HttpTokenEndpoint.of(env.http(), endpoints, env.requestTimeout());
        this.network = new NetworkMonitor(env.network(), env.loop(), NETWORK_POLL_MILLIS, this::networkChanged);
    }

    /** How often the network interfaces are checked. */
    static final long NETWORK_POLL_MILLIS = 2000;

    /**
     * The OS says the network came back: every connection tries at once. It went: connections to a server beyond
     * this machine wait offline (one on loopback, the embedded server, does not need the network).
     */
    private void networkChanged(boolean up) {
        boolean local = isLoopback(endpoints.server().getHost());
        for (Account a : accounts) {
            if (up) {
                a.networkUp();
            } else if (!local) {
                a.networkDown();
            }
        }
    }

    static boolean isLoopback(String host) {
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
                || host.equals("::1"));
    }

    /** Discovers the server at {@code serverUrl} ({@code /.well-known/quire}); profiles live under {@code profiles}. */
    public static CompletableFuture<ClientEngine> connect(String serverUrl, Profiles profiles, Environment env) {
        return Discovery.discover(env.http(), serverUrl, env.requestTimeout(), new RememberedDescriptions(profiles))
                .thenApply(endpoints -> new ClientEngine(endpoints, profiles, env));
    }

    /** Discovery documents kept in the profiles folder: without the network, the app starts from the last one. */
    private record RememberedDescriptions(Profiles profiles) implements Discovery.DocumentCache {
        @Override
        public Optional<String> load(URI server) {
            try {
                return Optional.of(Files.readString(profiles.serverDescription(server), StandardCharsets.UTF_8));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        @Override
        public void store(URI server, String body) {
            try {
                Profiles.writeWhole(profiles.serverDescription(server), body);
            } catch (IOException e) {
                log.atWarn().addKeyValue("server", server).addKeyValue("error", e.getMessage())
                        .log("could not remember the server's description; starting offline needs it");
            }
        }
    }

    public ServerEndpoints endpoints() {
        return endpoints;
    }

    /**
     * Signs in with a user name and password. Fails with a {@code TokenEndpointException}: {@code REJECTED} for a
     * wrong name or password, {@code TRANSIENT} when the server cannot be reached. The profile (and so the store) is
     * the user id's the server answers with: another user on this machine has another store, another outbox.
     */
    public CompletableFuture<Account> signIn(String user, char[] password) {
        PendingVault vault = new PendingVault();
        return Session.login(services(vault), user, password).thenApply(session -> {
            Profile profile;
            try {
                profile = profiles.create(endpoints.server(), session.userId());
                profiles.rememberLast(profile);
            } catch (IOException e) {
                session.close();
                throw new UncheckedIOException("cannot create the profile folder under " + profiles.root(), e);
            }
            vault.bind(env.vaults().apply(profile));
            return account(session, profile);
        });
    }

    /**
     * Resumes {@code userId}'s session from the refresh token in their profile's vault. When the server cannot be
     * reached, the account works offline (its documents open from the store, edits queue) and signs in again by itself
     * when the server answers ({@link Session#resumeOffline}). Fails when there is no stored token or the server
     * rejects it: sign in.
     */
    public CompletableFuture<Account> resume(String userId) {
        Profile profile = profiles.profile(endpoints.server(), userId);
        Session.Services services = services(env.vaults().apply(profile));
        return Session.resume(services).handle((session, error) -> {
            if (error == null) {
                return account(session, profile);
            }
            Throwable cause = Failures.cause(error);
            if (cause instanceof TokenEndpointException te && te.kind() == TokenEndpointException.Kind.TRANSIENT) {
                // the server is out of reach: work offline, signed in, and sign in again when it answers
                return account(Session.resumeOffline(services, userId, userId), profile);
            }
            throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
        });
    }

    /** The user of the profile used last on this server, if any. */
    public Optional<String> lastUser() {
        try {
            return profiles.last().filter(p -> p.server().equals(Profiles.normalize(endpoints.server())))
                    .map(Profile::userId);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Closes every account (ending their sessions without signing out) and every store. */
    @Override
    public void close() {
        network.close();
        for (Account a : List.copyOf(accounts)) {
            a.close();
        }
        synchronized (stores) {
            for (LocalStore s : stores.values()) {
                s.close();
            }
            stores.clear();
        }
    }

    // ---- for accounts ----

    DocumentsApi documentsApi() {
        return new DocumentsApi(env.http(), endpoints, env.requestTimeout());
    }

    ScheduledExecutorService loop() {
        return env.loop();
    }

    Clock clock() {
        return env.clock();
    }

    RandomGenerator random() {
        return env.random();
    }

    Backoff backoff() {
        return env.backoff();
    }

    void released(Account account) {
        accounts.remove(account);
    }

    private Account account(Session session, Profile profile) {
        Account account = new Account(this, session, profile, store(profile));
        accounts.add(account);
        return account;
    }

    private LocalStore store(Profile profile) {
        synchronized (stores) {
            return stores.computeIfAbsent(profile.directory(), dir -> LocalStore.open(dir, env.clock()));
        }
    }

    private Session.Services services(RefreshTokenVault vault) {
        return new Session.Services(tokenEndpoint, vault, Scheduler.of(env.loop()), env.clock(), env.random());
    }

    @Override
    public String toString() {
        return "ClientEngine[" + endpoints.server() + "]";
    }
}
