package dev.quire.server.sync;

import dev.quire.testing.SyncTestClient;
import dev.quire.testing.TestClock;
import dev.quire.server.access.AccessService;
import dev.quire.server.storage.H2Storage;
import dev.quire.server.access.Role;
import dev.quire.server.auth.Tickets;
import dev.quire.server.storage.DocumentStore;
import dev.quire.server.storage.H2DocumentStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;

/**
 * A real sync server on a loopback port with a real H2 store in a temporary directory, real tickets, the test clock
 * real tokens ({@link TestTokens}) and the real {@link AccessService} for roles.
 */
final class SyncFixture implements AutoCloseable {
    final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    final TestTokens tokens;
    final Tickets tickets = new Tickets(clock, new SecureRandom());
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final DocumentStore store;
    final SyncServer server;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final H2Storage storage;
    private final AccessService access;
    /** Who owns each document the fixture created, to share it in their name. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();

    SyncFixture(Path dir) {
        this(dir, c -> c);
    }

    SyncFixture(Path dir, UnaryOperator<SyncServerConfig> configure) {
        this(dir, configure, null);
    }

    /** @param wrapStore wraps the real store, to inject faults; null for none */
    SyncFixture(Path dir, UnaryOperator<SyncServerConfig> configure, UnaryOperator<DocumentStore> wrapStore) {
        tokens = new TestTokens(clock, dir.resolve("auth"));
        storage = H2Storage.open(dir, H2DocumentStore.Options.defaults().withClock(clock));
        DocumentStore real = storage.documents();
        store = real;
        access = new AccessService(real, storage.workspaces(), tokens::exists, clock);
        SyncServerConfig config = configure.apply(SyncServerConfig.defaults()
                .withSweepInterval(Duration.ofMillis(20)));
        server = new SyncServer(new InetSocketAddress("127.0.0.1", 0), tokens, tickets, access,
                wrapStore == null ? real : wrapStore.apply(real), clock, scheduler, registry, config);
        server.start();
    }

    /** A new document owned by {@code owner}. */
    String createDoc(String owner) {
        tokens.register(owner, name(owner));
        String id = access.createDocument(owner, "test").document().id();
        owners.put(id, owner);
        return id;
    }

    /** Shares the document with {@code user} as its owner would (READER or WRITER). */
    void grant(String user, String docId, Role role) {
        tokens.register(user, name(user));
        access.share(owners.get(docId), docId, user, role);
    }

    void revoke(String user, String docId) {
        access.unshare(owners.get(docId), docId, user);
    }

    URI uri(String docId) {
        return URI.create("ws://127.0.0.1:" + server.port() + "/sync/" + URLEncoder.encode(docId, StandardCharsets.UTF_8));
    }

    URI uri(String docId, String query) {
        return URI.create(uri(docId) + "?" + query);
    }

    /** A connected Quire client (subprotocol quire.v1) with a bearer token. */
    SyncTestClient quire(String docId, String token) throws InterruptedException {
        return new SyncTestClient(uri(docId), true, Map.of("Authorization", "Bearer " + token)).connectOrFail();
    }

    /** A connected stock-style client (no subprotocol) with a one-time ticket, as a y-websocket provider connects. */
    SyncTestClient stock(String docId, String token) throws InterruptedException {
        String ticket = tickets.issue(tokens.verify(token), docId).value();
        return new SyncTestClient(uri(docId, "ticket=" + URLEncoder.encode(ticket, StandardCharsets.UTF_8)), false,
                Map.of()).connectOrFail();
    }

    String token(String user) {
        return tokens.issue(user, name(user), Duration.ofHours(1));
    }

    static String name(String user) {
        return user.substring(0, 1).toUpperCase() + user.substring(1);
    }

    double counter(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() {
        server.close();
        scheduler.shutdownNow();
        storage.close();
    }
}
