package dev.quire.server;

import dev.quire.testing.SyncTestClient;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.server.auth.User;
import dev.quire.testing.TestClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * A real {@link QuireServer} on free loopback ports with its data (H2 file, users file, keys) in a temporary
 * directory, a {@link TestClock} shared by every part of it, and helpers to speak its HTTP API (JDK HttpClient) and
 * open sync connections ({@link SyncTestClient}). Password hashing is cheap and expiry is swept every 20 ms of real time, so
 * moving the clock takes effect at once.
 */
final class ServerFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** A whole second, so that tokens issued now expire exactly {@code ttl} later (JWT times are in seconds). */
    static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    record Tokens(String access, String refresh) {
        @Override
        public String toString() {
            return "Tokens[<redacted>]";
        }
    }

    final TestClock clock = new TestClock(START);
    final QuireServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    ServerFixture(Path dataDir) {
        this(dataDir, c -> c);
    }

    ServerFixture(Path dataDir, UnaryOperator<ServerConfig> configure) {
        ServerConfig config = configure.apply(ServerConfig.defaults(dataDir).onFreePorts().withPasswordIterations(1000));
        server = QuireServer.start(config, clock,
                sync -> sync.withSweepInterval(Duration.ofMillis(20)));
    }

    User addUser(String name, String password) {
        return server.addUser(name, password.toCharArray());
    }

    // ---- HTTP ----

    HttpResponse<String> send(String method, String path, String bearer, String contentType, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.httpUrl().resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> sendForBytes(String method, String path, String bearer) {
        HttpRequest req = HttpRequest.newBuilder(server.httpUrl().resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + bearer)
                .build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path, String bearer) {
        return send("GET", path, bearer, null, null);
    }

    HttpResponse<String> json(String method, String path, String bearer, Object body) {
        try {
            return send(method, path, bearer, "application/json", JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpResponse<String> form(String path, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return send("POST", path, null, "application/x-www-form-urlencoded", body.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode body(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    HttpResponse<String> passwordGrant(String user, String password) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "password");
        f.put("username", user);
        f.put("password", password);
        return form("/auth/token", f);
    }

    HttpResponse<String> refreshGrant(String refreshToken) {
        return form("/auth/token", Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
    }

    Tokens login(String user, String password) {
        return tokens(passwordGrant(user, password));
    }

    Tokens refresh(String refreshToken) {
        return tokens(refreshGrant(refreshToken));
    }

    private static Tokens tokens(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r::body);
        JsonNode b = body(r);
        return new Tokens(b.get("access_token").asText(), b.get("refresh_token").asText());
    }

    String createDoc(String bearer, String title) {
        HttpResponse<String> r = json("POST", "/docs", bearer, Map.of("title", title));
        assertEquals(201, r.statusCode(), r::body);
        return body(r).get("id").asText();
    }

    String ticket(String bearer, String docId) {
        HttpResponse<String> r = json("POST", "/auth/ticket", bearer, Map.of("doc", docId));
        assertEquals(200, r.statusCode(), r::body);
        return body(r).get("ticket").asText();
    }

    // ---- sync ----

    URI syncUri(String docId, String query) {
        String base = server.syncUrl() + "/sync/" + URLEncoder.encode(docId, StandardCharsets.UTF_8);
        return URI.create(query == null ? base : base + "?" + query);
    }

    /** Opens a sync connection (it may then be refused: see {@link SyncTestClient#awaitClose()}). */
    SyncTestClient connect(String docId, String query, Map<String, String> headers, boolean quire)
            throws InterruptedException {
        return new SyncTestClient(syncUri(docId, query), quire, headers).connectAndWait();
    }

    SyncTestClient connectWithBearer(String docId, String token, boolean quire) throws InterruptedException {
        return connect(docId, null, Map.of("Authorization", "Bearer " + token), quire);
    }

    SyncTestClient connectWithTicket(String docId, String ticket, boolean quire) throws InterruptedException {
        return connect(docId, "ticket=" + enc(ticket), Map.of(), quire);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.close();
    }
}
