package dev.quire.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The server's document API as the app needs it: the documents a user can open, and a new one. Requests carry the
 * session's access token in the {@code Authorization} header; errors name the status and the server's error code,
 * never the token.
 */
public final class DocumentsApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One document as the list shows it. {@code role}: owner, writer or reader. */
    public record DocumentInfo(String id, String title, String role) {
    }

    /** The server answered with an error. */
    public static final class ApiException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ApiException(String message) {
            super(message);
        }
    }

    private final HttpClient http;
    private final URI documents;
    private final Duration timeout;

    public DocumentsApi(HttpClient http, ServerEndpoints endpoints, Duration timeout) {
        this.http = http;
        this.documents = endpoints.documents();
        this.timeout = timeout;
    }

    /** Every document the user can open, in the server's order. */
    public CompletableFuture<List<DocumentInfo>> list(String accessToken) {
        HttpRequest request = HttpRequest.newBuilder(documents).timeout(timeout)
                .header("Authorization", "Bearer " + accessToken).header("Accept", "application/json").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            JsonNode body = read(r, 200, "listing documents");
            List<DocumentInfo> out = new ArrayList<>();
            for (JsonNode d : body.path("documents")) {
                out.add(info(d));
            }
            return out;
        });
    }

    /** A new document of the user's, in their default workspace. */
    public CompletableFuture<DocumentInfo> create(String accessToken, String title) {
        String json;
        try {
            json = JSON.writeValueAsString(Map.of("title", title));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        HttpRequest request = HttpRequest.newBuilder(documents).timeout(timeout)
                .header("Authorization", "Bearer " + accessToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> info(read(r, 201, "creating a document")));
    }

    private static DocumentInfo info(JsonNode d) {
        return new DocumentInfo(d.path("id").asText(), d.path("title").asText(), d.path("role").asText());
    }

    private static JsonNode read(HttpResponse<String> r, int expected, String what) {
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new ApiException(what + " failed: the server answered " + r.statusCode() + " with no JSON");
        }
        if (r.statusCode() != expected) {
            throw new ApiException(what + " failed: " + r.statusCode() + " " + body.path("error").asText("")
                    + " " + body.path("message").asText(""));
        }
        return body;
    }
}
