package dev.quire.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Finds a Quire server's endpoints from the one URL a user types ({@code GET /.well-known/quire}, RFC 8615), so that
 * nothing else about the server has to be configured.
 */
public final class Discovery {
    static final String WELL_KNOWN = "/.well-known/quire";
    /** The sync subprotocol this client speaks (the server's {@code SyncServer.SUBPROTOCOL}). */
    public static final String SUBPROTOCOL = "quire.v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Discovery() {
    }

    /**
     * Reads the server's description. Fails with a {@link DiscoveryException} saying whether the server is
     * unreachable, not a Quire server, or an incompatible one.
     *
     * @param server what the user typed: {@code https://quire.example.com}, or {@code host:8080} (taken as http)
     */
    public static CompletableFuture<ServerEndpoints> discover(HttpClient http, String server, Duration timeout) {
        return discover(http, server, timeout, NO_CACHE);
    }

    private static final DocumentCache NO_CACHE = new DocumentCache() {
        @Override
        public Optional<String> load(URI server) {
            return Optional.empty();
        }

        @Override
        public void store(URI server, String body) {
        }
    };

    /**
     * Where a discovery document is remembered between runs: {@link #discover(HttpClient, String, Duration,
     * DocumentCache)} writes each one it reads, and uses the remembered one when the server cannot be reached, so
     * that the app starts offline.
     */
    public interface DocumentCache {
        /** The remembered document of {@code server} (normalised base URL), if any. */
        Optional<String> load(URI server);

        /** Remembers {@code body} for {@code server}; a failure only costs starting offline next time. */
        void store(URI server, String body);
    }

    /**
     * As {@link #discover(HttpClient, String, Duration)}, remembering the answer in {@code cache}, and answering from
     * it when the server is unreachable (the endpoints are then those of the last successful discovery).
     */
    public static CompletableFuture<ServerEndpoints> discover(HttpClient http, String server, Duration timeout,
                                                              DocumentCache cache) {
        URI base;
        try {
            base = baseUri(server);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        HttpRequest request = HttpRequest.newBuilder(base.resolve(WELL_KNOWN)).timeout(timeout)
                .header("Accept", "application/json").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            if (error == null) {
                ServerEndpoints endpoints = parse(base, response.statusCode(), response.body());
                cache.store(base, response.body());
                return endpoints;
            }
            Optional<String> remembered = cache.load(base);
            if (remembered.isPresent()) {
                return parse(base, 200, remembered.get());
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            throw new DiscoveryException(DiscoveryException.Kind.UNREACHABLE, "no answer from " + base + " ("
                    + cause.getClass().getSimpleName() + "): check the address and the network", cause);
        });
    }

    /** The server URL normalised: a scheme added if missing, no query, fragment or trailing slash. */
    static URI baseUri(String server) {
        String s = server == null ? "" : server.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("no server address given");
        }
        if (!s.contains("://")) {
            s = "http://" + s;
        }
        try {
            URI u = new URI(s);
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) server address: " + server);
            }
            String path = u.getPath() == null ? "" : u.getPath().replaceAll("/+$", "");
            return new URI(scheme, null, u.getHost(), u.getPort(), path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a server address: " + server, e);
        }
    }

    static ServerEndpoints parse(URI base, int status, String body) {
        if (status != 200) {
            throw new DiscoveryException(DiscoveryException.Kind.NOT_QUIRE, base + " answered " + status + " to "
                    + WELL_KNOWN + ": not a Quire server (or one older than its discovery document)", null);
        }
        JsonNode doc;
        try {
            doc = JSON.readTree(body);
        } catch (IOException e) {
            doc = null;
        }
        if (doc == null || !doc.isObject() || !doc.hasNonNull("issuer") || !doc.hasNonNull("token_endpoint")) {
            throw new DiscoveryException(DiscoveryException.Kind.NOT_QUIRE, base + WELL_KNOWN
                    + " is not a Quire server description", null);
        }
        String version = text(doc, "version");
        String subprotocol = text(doc, "sync_subprotocol");
        if (subprotocol == null || !subprotocol.equals(SUBPROTOCOL)) {
            throw new DiscoveryException(DiscoveryException.Kind.INCOMPATIBLE, "the server at " + base + " (version "
                    + version + ") speaks " + (subprotocol == null ? "no Quire sync protocol" : subprotocol)
                    + ", this client " + SUBPROTOCOL + ": update the server or the app", null);
        }
        try {
            return new ServerEndpoints(base, uri(doc, "token_endpoint"), uri(doc, "revocation_endpoint"),
                    optionalUri(doc, "ticket_endpoint"), uri(doc, "documents_endpoint"),
                    optionalUri(doc, "workspaces_endpoint"), required(doc, "sync_url_template"), subprotocol,
                    text(doc, "issuer"), version == null ? "unknown" : version,
                    doc.path("dev_mode").asBoolean(false));
        } catch (IllegalArgumentException e) {
            throw new DiscoveryException(DiscoveryException.Kind.INCOMPATIBLE, "the server at " + base + " (version "
                    + version + ") is too old for this client: " + e.getMessage(), null);
        }
    }

    private static String text(JsonNode doc, String field) {
        JsonNode n = doc.get(field);
        return n == null || !n.isTextual() ? null : n.asText();
    }

    private static String required(JsonNode doc, String field) {
        String s = text(doc, field);
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("it does not announce " + field);
        }
        return s;
    }

    private static URI uri(JsonNode doc, String field) {
        URI u = URI.create(required(doc, field));
        if (!u.isAbsolute()) {
            throw new IllegalArgumentException(field + " is not an absolute URL");
        }
        return u;
    }

    private static URI optionalUri(JsonNode doc, String field) {
        return text(doc, field) == null ? null : uri(doc, field);
    }
}
