package dev.quire.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The HTTP calls a client makes to a live server (log in, create and share a document, get a ticket, export), over
 * the JDK's HTTP client on loopback. Each call fails the test on an unexpected status.
 */
final class ServerApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    ServerApi(URI base) {
        this.base = base;
    }

    /** {@code POST /auth/token} with the password grant; the access token. */
    String login(String user, String password) {
        String form = "grant_type=password&username=" + enc(user) + "&password=" + enc(password);
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(base.resolve("/auth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        return json(r, 200).get("access_token").asText();
    }

    /** {@code POST /docs}; the new document's id. */
    String createDoc(String token, String title) {
        return json(post(token, "/docs", Map.of("title", title)), 201).get("id").asText();
    }

    /** {@code PUT /docs/{id}/shares/{user}} with {@code role} "reader" or "writer". */
    void share(String token, String docId, String user, String role) {
        json(send(authed(token, "/docs/" + enc(docId) + "/shares/" + enc(user))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(Map.of("role", role))))), 200);
    }

    /** {@code POST /auth/ticket}: a one-time ticket for a client that cannot send headers. */
    String ticket(String token, String docId) {
        return json(post(token, "/auth/ticket", Map.of("doc", docId)), 200).get("ticket").asText();
    }

    /** {@code GET /docs/{id}/export}: the document as one Yjs v1 update. */
    byte[] export(String token, String docId) {
        HttpResponse<byte[]> r = send(authed(token, "/docs/" + enc(docId) + "/export").GET());
        assertEquals(200, r.statusCode(), () -> "export: " + new String(r.body(), StandardCharsets.UTF_8));
        return r.body();
    }

    int healthz() {
        return send(HttpRequest.newBuilder(base.resolve("/healthz")).GET()).statusCode();
    }

    private HttpResponse<byte[]> post(String token, String path, Map<String, ?> body) {
        return send(authed(token, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body))));
    }

    private HttpRequest.Builder authed(String token, String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("HTTP request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode json(HttpResponse<byte[]> r, int expectedStatus) {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(expectedStatus, r.statusCode(), () -> r.request().method() + " " + r.request().uri().getPath()
                + ": " + body);
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }

    private static byte[] bytes(Map<String, ?> body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
