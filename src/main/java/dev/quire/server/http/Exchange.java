package dev.quire.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.quire.server.auth.BearerHeader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request and its answer, over {@link HttpExchange}: reading bounded bodies (form, JSON, bytes), the bearer
 * token, path and query parameters, and writing JSON or bytes. Exactly one answer per exchange.
 */
final class Exchange {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Forms and JSON requests are small; only document imports are big (see {@link #bytes(int)}). */
    static final int MAX_SMALL_BODY = 64 * 1024;

    private final HttpExchange http;
    private final Map<String, String> pathParams;
    private boolean answered;

    Exchange(HttpExchange http, Map<String, String> pathParams) {
        this.http = http;
        this.pathParams = pathParams;
    }

    String method() {
        return http.getRequestMethod();
    }

    String path() {
        return http.getRequestURI().getRawPath();
    }

    String pathParam(String name) {
        return pathParams.get(name);
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(http.getRequestHeaders().getFirst(name));
    }

    /** The token of an {@code Authorization: Bearer} header; empty when there is no such header. */
    Optional<String> bearerToken() {
        return header("Authorization").flatMap(BearerHeader::token).filter(t -> !t.isEmpty());
    }

    Map<String, String> query() {
        return decodeForm(http.getRequestURI().getRawQuery());
    }

    /** An {@code application/x-www-form-urlencoded} body (RFC 6749 §4.3.2 requests). */
    Map<String, String> form() {
        requireContentType("application/x-www-form-urlencoded");
        return decodeForm(new String(bytes(MAX_SMALL_BODY), StandardCharsets.UTF_8));
    }

    /** A JSON object body; garbage gets a 400 that does not quote it. */
    JsonNode jsonObject() {
        requireContentType("application/json");
        byte[] body = bytes(MAX_SMALL_BODY);
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw ApiError.badRequest("the body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("the body is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw ApiError.badRequest("the body could not be read");
        }
    }

    /** The raw body, refused with 413 when longer than {@code limit}. */
    byte[] bytes(int limit) {
        try (InputStream in = http.getRequestBody()) {
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                throw new ApiError(413, "TOO_LARGE", "the request body is larger than the limit of " + limit
                        + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw ApiError.badRequest("the body could not be read");
        }
    }

    void json(int status, Object body) {
        try {
            send(status, "application/json", JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a response", e);
        }
    }

    void send(int status, String contentType, byte[] body) {
        if (answered) {
            throw new IllegalStateException("answered twice");
        }
        answered = true;
        try {
            http.getResponseHeaders().set("Content-Type", contentType);
            // Tokens in answers must not be cached by anything in between (RFC 6749 §5.1).
            http.getResponseHeaders().set("Cache-Control", "no-store");
            if (body.length == 0) {
                http.sendResponseHeaders(status, -1); // 0 would mean "chunked" to HttpServer
            } else {
                http.sendResponseHeaders(status, body.length);
                try (OutputStream out = http.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            // The client went away; nothing to tell it.
        } finally {
            http.close();
        }
    }

    void noContent() {
        send(204, "application/json", new byte[0]);
    }

    void setHeader(String name, String value) {
        http.getResponseHeaders().set(name, value);
    }

    boolean answered() {
        return answered;
    }

    private void requireContentType(String expected) {
        String type = header("Content-Type").orElse("");
        String bare = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!bare.equals(expected)) {
            throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "expected Content-Type " + expected);
        }
    }

    static Map<String, String> decodeForm(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                // RFC 6749 §3.1: parameters must not be repeated.
                if (out.putIfAbsent(key, value) != null) {
                    throw ApiError.badRequest("the parameter '" + key + "' is repeated");
                }
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("the form is not valid URL encoding");
            }
        }
        return out;
    }

    static List<String> segments(String path) {
        return List.of(path.replaceAll("^/+|/+$", "").split("/+"));
    }
}
