package dev.quire.net;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The server's document API as the app needs it: workspaces, documents, sharing, and a document's state as one Yjs
 * update (export, import). Requests carry the session's access token in the {@code Authorization} header; errors name
 * the status and the server's error code, never the token.
 */
public final class DocumentsApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One document as the list shows it. {@code role}: owner, writer or reader. */
    public record DocumentInfo(String id, String title, String role, String workspace) {
        public DocumentInfo(String id, String title, String role) {
            this(id, title, role, "");
        }

        public boolean readOnly() {
            return role.equals("reader");
        }

        /** As the server's JSON (and the offline list kept from it) writes one. */
        public static DocumentInfo of(JsonNode d) {
            return new DocumentInfo(d.path("id").asText(), d.path("title").asText(), d.path("role").asText(),
                    d.path("workspace").asText(""));
        }
    }

    /** One workspace of the user's; the default one holds new documents unless another is named. */
    public record WorkspaceInfo(String id, String name, boolean isDefault) {
        /** As the server's JSON (and the offline list kept from it) writes one. */
        public static WorkspaceInfo of(JsonNode w) {
            return new WorkspaceInfo(w.path("id").asText(), w.path("name").asText(), w.path("default").asBoolean());
        }
    }

    /** Someone a document is shared with: user id, display name, role (reader or writer). */
    public record ShareInfo(String userId, String name, String role) {
    }

    /** The server answered with an error. */
    public static final class ApiException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String code;

        ApiException(String message, int status, String code) {
            super(message);
            this.status = status;
            this.code = code;
        }

        /** The HTTP status, 0 when the server's answer was not JSON. */
        public int status() {
            return status;
        }

        /** The server's error code ({@code NOT_FOUND}, {@code FORBIDDEN}…), or "". */
        public String code() {
            return code;
        }
    }

    private final HttpClient http;
    private final URI documents;
    private final URI workspaces;
    private final Duration timeout;

    public DocumentsApi(HttpClient http, ServerEndpoints endpoints, Duration timeout) {
        this.http = http;
        this.documents = endpoints.documents();
        this.workspaces = endpoints.workspaces();
        this.timeout = timeout;
    }

    // ---- workspaces ----

    /** The user's workspaces, the default one first. */
    public CompletableFuture<List<WorkspaceInfo>> workspaces(String accessToken) {
        return json(accessToken, "GET", workspaces, null, 200, "listing workspaces")
                .thenApply(body -> each(body.path("workspaces"), WorkspaceInfo::of));
    }

    public CompletableFuture<WorkspaceInfo> createWorkspace(String accessToken, String name) {
        return json(accessToken, "POST", workspaces, Map.of("name", name), 201, "creating a workspace")
                .thenApply(WorkspaceInfo::of);
    }

    /**
     * A new workspace with an id chosen here (a random UUID): sent again with the same id, it answers with the same
     * workspace, so a create whose answer was lost can be retried.
     */
    public CompletableFuture<WorkspaceInfo> createWorkspace(String accessToken, String name, String workspaceId) {
        return json(accessToken, "POST", workspaces, Map.of("name", name, "id", workspaceId), 201,
                "creating a workspace").thenApply(WorkspaceInfo::of);
    }

    public CompletableFuture<WorkspaceInfo> renameWorkspace(String accessToken, String workspaceId, String name) {
        return json(accessToken, "PATCH", below(workspaces, workspaceId), Map.of("name", name), 200,
                "renaming a workspace").thenApply(WorkspaceInfo::of);
    }

    // ---- documents ----

    /** Every document the user can open, in the server's order. */
    public CompletableFuture<List<DocumentInfo>> list(String accessToken) {
        return listAt(accessToken, documents);
    }

    /** The documents of one of the user's workspaces. */
    public CompletableFuture<List<DocumentInfo>> list(String accessToken, String workspaceId) {
        return listAt(accessToken, URI.create(documents + "?workspace="
                + URLEncoder.encode(workspaceId, StandardCharsets.UTF_8)));
    }

    private CompletableFuture<List<DocumentInfo>> listAt(String accessToken, URI uri) {
        return json(accessToken, "GET", uri, null, 200, "listing documents")
                .thenApply(body -> each(body.path("documents"), DocumentInfo::of));
    }

    /** A new document of the user's, in their default workspace. */
    public CompletableFuture<DocumentInfo> create(String accessToken, String title) {
        return json(accessToken, "POST", documents, Map.of("title", title), 201, "creating a document")
                .thenApply(DocumentInfo::of);
    }

    /** A new document in one of the user's workspaces. */
    public CompletableFuture<DocumentInfo> create(String accessToken, String title, String workspaceId) {
        return json(accessToken, "POST", documents, Map.of("title", title, "workspace", workspaceId), 201,
                "creating a document").thenApply(DocumentInfo::of);
    }

    /**
     * A new document with an id chosen here (a random UUID), in a workspace of the user's (null: the default one).
     * Sent again with the same id, it answers with the same document, so a create whose answer was lost can be
     * retried.
     */
    public CompletableFuture<DocumentInfo> create(String accessToken, String title, String workspaceId, String docId) {
        Map<String, String> body = workspaceId == null ? Map.of("title", title, "id", docId)
                : Map.of("title", title, "workspace", workspaceId, "id", docId);
        return json(accessToken, "POST", documents, body, 201, "creating a document").thenApply(DocumentInfo::of);
    }

    /** One document this user may see (404 {@code NOT_FOUND} for any other, whether or not it exists). */
    public CompletableFuture<DocumentInfo> document(String accessToken, String docId) {
        return json(accessToken, "GET", below(documents, docId), null, 200, "reading a document")
                .thenApply(DocumentInfo::of);
    }

    public CompletableFuture<DocumentInfo> rename(String accessToken, String docId, String title) {
        return json(accessToken, "PATCH", below(documents, docId), Map.of("title", title), 200,
                "renaming a document").thenApply(DocumentInfo::of);
    }

    /** Deletes a document for everyone (its owner only). */
    public CompletableFuture<Void> delete(String accessToken, String docId) {
        return send(accessToken, "DELETE", below(documents, docId), HttpRequest.BodyPublishers.noBody(), null,
                HttpResponse.BodyHandlers.ofString(), 204, "deleting a document", r -> null);
    }

    // ---- sharing ----

    public CompletableFuture<List<ShareInfo>> shares(String accessToken, String docId) {
        return json(accessToken, "GET", below(documents, docId + "/shares"), null, 200, "listing shares")
                .thenApply(body -> each(body.path("shares"), DocumentsApi::share));
    }

    /** Shares a document with a user (by name or id) as {@code role}: "reader" or "writer". */
    public CompletableFuture<ShareInfo> share(String accessToken, String docId, String user, String role) {
        return json(accessToken, "PUT", below(documents, docId + "/shares/" + encode(user)), Map.of("role", role),
                200, "sharing a document").thenApply(DocumentsApi::share);
    }

    public CompletableFuture<Void> unshare(String accessToken, String docId, String user) {
        return send(accessToken, "DELETE", below(documents, docId + "/shares/" + encode(user)),
                HttpRequest.BodyPublishers.noBody(), null, HttpResponse.BodyHandlers.ofString(), 204,
                "withdrawing a share", r -> null);
    }

    // ---- a document's state ----

    /** The document as the server stores it, as one Yjs update (v1). */
    public CompletableFuture<byte[]> exportUpdate(String accessToken, String docId) {
        return send(accessToken, "GET", below(documents, docId + "/export"), HttpRequest.BodyPublishers.noBody(),
                null, HttpResponse.BodyHandlers.ofByteArray(), 200, "exporting a document", HttpResponse::body);
    }

    /** Applies a Yjs update (v1) to the document on the server, as this user's edit. */
    public CompletableFuture<Void> importUpdate(String accessToken, String docId, byte[] update) {
        return send(accessToken, "PUT", below(documents, docId + "/export"),
                HttpRequest.BodyPublishers.ofByteArray(update), "application/octet-stream",
                HttpResponse.BodyHandlers.ofString(), 200, "importing into a document", r -> null);
    }

    // ---- plumbing ----

    private CompletableFuture<JsonNode> json(String accessToken, String method, URI uri, Map<String, ?> body,
                                             int expected, String what) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(new LinkedHashMap<>(body)));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return send(accessToken, method, uri, publisher, body == null ? null : "application/json",
                HttpResponse.BodyHandlers.ofString(), expected, what, r -> parse(r.body(), r.statusCode(), what));
    }

    private <T, R> CompletableFuture<R> send(String accessToken, String method, URI uri,
                                             HttpRequest.BodyPublisher body, String contentType,
                                             HttpResponse.BodyHandler<T> handler, int expected, String what,
                                             Function<HttpResponse<T>, R> answer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", "Bearer " + accessToken).header("Accept", "application/json")
                .method(method, body);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.sendAsync(b.build(), handler).thenApply(r -> {
            if (r.statusCode() != expected) {
                throw failure(r, what);
            }
            return answer.apply(r);
        });
    }

    private static ApiException failure(HttpResponse<?> r, String what) {
        String text = r.body() instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : String.valueOf(r.body());
        try {
            JsonNode body = JSON.readTree(text);
            String code = body.path("error").asText("");
            return new ApiException(what + " failed: " + r.statusCode() + " " + code + " "
                    + body.path("message").asText(""), r.statusCode(), code);
        } catch (IOException e) {
            return new ApiException(what + " failed: the server answered " + r.statusCode() + " with no JSON",
                    r.statusCode(), "");
        }
    }

    private static JsonNode parse(String body, int status, String what) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new ApiException(what + " failed: the server answered " + status + " with no JSON", 0, "");
        }
    }

    private static <T> List<T> each(JsonNode array, Function<JsonNode, T> f) {
        List<T> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(f.apply(n));
        }
        return out;
    }


    private static ShareInfo share(JsonNode s) {
        return new ShareInfo(s.path("user").asText(), s.path("name").asText(), s.path("role").asText());
    }


    private static URI below(URI base, String path) {
        String b = base.toString();
        return URI.create((b.endsWith("/") ? b : b + "/") + path);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
