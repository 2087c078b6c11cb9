package dev.quire.server.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.quire.server.access.AccessDeniedException;
import dev.quire.server.access.IdTakenException;
import dev.quire.server.auth.AuthError;
import dev.quire.server.auth.AuthException;
import dev.quire.server.storage.ClientIdTakenException;
import dev.quire.server.storage.InvalidUpdateException;
import dev.quire.server.storage.NoSuchDocumentException;
import dev.quire.server.storage.StorageException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps method + path templates ({@code /docs/{id}/export}) to handlers, and every failure to a JSON error body
 * {@code {"error": CODE, "message": ...}}: unknown path 404, known path with another method 405, {@link ApiError} as
 * it says, {@link AuthException} 401 (403 for FORBIDDEN) with an RFC 6750 {@code WWW-Authenticate}, anything else
 * 500 with a message that reveals nothing.
 */
final class Router implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(Router.class);

    @FunctionalInterface
    interface Handler {
        void handle(Exchange exchange);
    }

    private record Route(String method, List<String> template, Handler handler) {
    }

    private final List<Route> routes = new ArrayList<>();

    Router route(String method, String template, Handler handler) {
        routes.add(new Route(method, Exchange.segments(template), handler));
        return this;
    }

    @Override
    public void handle(HttpExchange http) {
        List<String> path = Exchange.segments(http.getRequestURI().getRawPath());
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Map<String, String> params = match(route.template(), path);
            if (params == null) {
                continue;
            }
            if (!route.method().equals(http.getRequestMethod())) {
                allowed.add(route.method());
                continue;
            }
            run(route.handler(), new Exchange(http, params));
            return;
        }
        Exchange exchange = new Exchange(http, Map.of());
        if (allowed.isEmpty()) {
            answerError(exchange, ApiError.notFound());
        } else {
            exchange.setHeader("Allow", String.join(", ", allowed));
            answerError(exchange, new ApiError(405, "METHOD_NOT_ALLOWED", "use " + String.join(" or ", allowed)));
        }
    }

    private static void run(Handler handler, Exchange exchange) {
        try {
            handler.handle(exchange);
            if (!exchange.answered()) {
                throw new IllegalStateException("the handler for " + exchange.path() + " gave no answer");
            }
        } catch (ApiError e) {
            answerError(exchange, e);
        } catch (AuthException e) {
            answerError(exchange, fromAuth(e));
        } catch (AccessDeniedException e) {
            answerError(exchange, e.kind() == AccessDeniedException.Kind.NOT_FOUND
                    ? new ApiError(404, "NOT_FOUND", e.getMessage())
                    : new ApiError(403, AuthError.FORBIDDEN.name(), e.getMessage()));
        } catch (IdTakenException e) {
            answerError(exchange, new ApiError(409, "CONFLICT", e.getMessage()));
        } catch (NoSuchDocumentException e) {
            answerError(exchange, new ApiError(404, "NOT_FOUND", e.getMessage()));
        } catch (ClientIdTakenException e) {
            answerError(exchange, new ApiError(403, AuthError.FORBIDDEN.name(), e.getMessage()));
        } catch (InvalidUpdateException e) {
            answerError(exchange, new ApiError(400, "INVALID_UPDATE", e.getMessage()));
        } catch (IllegalArgumentException e) {
            answerError(exchange, ApiError.badRequest(e.getMessage()));
        } catch (StorageException e) {
            log.atError().setCause(e).addKeyValue("reason", e.reason().name()).addKeyValue("path", exchange.path())
                    .log("storage failed");
            answerError(exchange, new ApiError(503, "STORAGE_FAILED", "the server could not store or read the"
                    + " document; try again later"));
        } catch (RuntimeException e) {
            log.atError().setCause(e).addKeyValue("method", exchange.method()).addKeyValue("path", exchange.path())
                    .log("request failed");
            answerError(exchange, new ApiError(500, "INTERNAL", "the server failed to handle the request"));
        }
    }

    static ApiError fromAuth(AuthException e) {
        int status = e.code() == AuthError.FORBIDDEN ? 403 : 401;
        return new ApiError(status, e.code().name(), e.getMessage());
    }

    private static void answerError(Exchange exchange, ApiError e) {
        if (exchange.answered()) {
            return;
        }
        if (e.status == 401) {
            // RFC 6750 §3: tell the client how to authenticate, and (when it tried) that its token was refused.
            exchange.setHeader("WWW-Authenticate", e.code.equals(AuthError.AUTH_REQUIRED.name())
                    ? "Bearer realm=\"quire\"" : "Bearer realm=\"quire\", error=\"invalid_token\"");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.code);
        body.put("message", e.getMessage());
        body.putAll(e.extra);
        exchange.json(e.status, body);
    }

    /** Path parameters when {@code path} fits {@code template}; null when it does not. */
    private static Map<String, String> match(List<String> template, List<String> path) {
        if (template.size() != path.size()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            String p = path.get(i);
            if (t.startsWith("{") && t.endsWith("}")) {
                if (p.isEmpty()) {
                    return null;
                }
                try {
                    params.put(t.substring(1, t.length() - 1), URLDecoder.decode(p, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    return null; // a malformed %-escape names nothing we serve
                }
            } else if (!t.equals(p)) {
                return null;
            }
        }
        return params;
    }
}
