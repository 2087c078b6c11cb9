package dev.quire.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.session.TokenEndpoint;
import dev.quire.session.TokenEndpointException;
import dev.quire.session.TokenEndpointException.Kind;
import dev.quire.session.TokenGrant;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * The session's {@link TokenEndpoint} over HTTP: form-encoded {@code POST}s to the token endpoint (RFC 6749 §4.3,
 * §6; answers as §5.1/§5.2) and the revocation endpoint (RFC 7009). Credentials travel only in request bodies.
 *
 * <p>Classification, which decides between "retry" and "sign out": no answer, a timeout, 5xx, 408 and 429 are
 * transient, and so is a 200 that cannot be read (a captive portal's page); any other answer is a rejection, whose
 * RFC 6749 §5.2 {@code error} code is kept.
 */
public final class HttpTokenEndpoint implements TokenEndpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI token;
    private final URI revoke;
    private final Duration timeout;

    public HttpTokenEndpoint(HttpClient http, URI token, URI revoke, Duration timeout) {
        this.http = Objects.requireNonNull(http, "http");
        this.token = Objects.requireNonNull(token, "token");
        this.revoke = Objects.requireNonNull(revoke, "revoke");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The endpoints a {@link Discovery} found. */
    public static HttpTokenEndpoint of(HttpClient http, ServerEndpoints server, Duration timeout) {
        return new HttpTokenEndpoint(http, server.token(), server.revoke(), timeout);
    }

    @Override
    public CompletableFuture<TokenGrant> password(String user, char[] password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("username", user);
        form.put("password", CharBuffer.wrap(password).toString());
        return post(token, form).thenApply(HttpTokenEndpoint::grant);
    }

    @Override
    public CompletableFuture<TokenGrant> refresh(String refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        return post(token, form).thenApply(HttpTokenEndpoint::grant);
    }

    @Override
    public CompletableFuture<Void> revoke(String refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", refreshToken);
        form.put("token_type_hint", "refresh_token");
        return post(revoke, form).thenApply(r -> {
            if (r.statusCode() != 200) {
                throw failure(r); // RFC 7009 §2.2: 200 whether or not the token was known
            }
            return null;
        });
    }

    private CompletableFuture<HttpResponse<String>> post(URI uri, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        CompletableFuture<HttpResponse<String>> sent;
        try {
            sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.exceptionally(error -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            // IOException (refused, reset, DNS), HttpTimeoutException (a subclass): the server was not heard.
            throw new TokenEndpointException(Kind.TRANSIENT, 0, null, "no answer from the token endpoint " + uri
                    + " (" + cause.getClass().getSimpleName() + ")", cause);
        });
    }

    private static TokenGrant grant(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            throw failure(r);
        }
        JsonNode body = readJson(r.body());
        String access = body == null ? null : textOrNull(body, "access_token");
        String refresh = body == null ? null : textOrNull(body, "refresh_token");
        String type = body == null ? null : textOrNull(body, "token_type");
        if (access == null || refresh == null || type == null || !type.equalsIgnoreCase("Bearer")) {
            // Transient rather than final: a proxy's login page answers 200 too, and goes away.
            throw new TokenEndpointException(Kind.TRANSIENT, 200, null,
                    "the token endpoint " + r.uri() + " answered 200 without a bearer token and a refresh token", null);
        }
        return new TokenGrant(access, refresh, body.path("expires_in").asLong(0));
    }

    private static TokenEndpointException failure(HttpResponse<String> r) {
        int status = r.statusCode();
        boolean transientStatus = status >= 500 || status == 408 || status == 429;
        JsonNode body = readJson(r.body());
        String error = body == null ? null : textOrNull(body, "error");
        // The error code only: a description is free text from the server and is not needed to decide anything.
        return new TokenEndpointException(transientStatus ? Kind.TRANSIENT : Kind.REJECTED, status, error,
                "the token endpoint " + r.uri() + " answered " + status + (error == null ? "" : " " + error), null);
    }

    private static JsonNode readJson(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String textOrNull(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n != null && n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "HttpTokenEndpoint[" + token + "]";
    }
}
