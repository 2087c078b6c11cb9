package dev.quire.server.http;

import dev.quire.server.access.AccessService;
import dev.quire.server.auth.TokenService;
import dev.quire.server.auth.TokenVerifier;
import dev.quire.server.auth.Tickets;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Everything the HTTP side serves, and what it needs to serve it. Endpoint groups: {@link AuthEndpoints} (token,
 * revoke, ticket), {@link DocumentEndpoints} (workspaces, documents, sharing, export/import, history),
 * {@link MetaEndpoints} (discovery, JWKS, health, metrics).
 *
 * @param tokens          the token endpoint's logic; null when tokens come from an external identity provider
 * @param verifier        checks bearer tokens
 * @param jwks            the public JWK set to publish; null when tokens come from an external identity provider
 * @param userIdOf        a user name or id to the user id, for sharing by name
 * @param userNameOf      a user id to its display name, for history listings
 * @param documentUpdated tells live sync connections about an update imported over HTTP
 * @param accessChanged   tells live sync connections to re-check their roles (after unsharing, deleting)
 * @param healthy         whether storage answers, for {@code /healthz}
 * @param devMode         every request is user {@code dev}, no token needed (loopback only; see ServerConfig)
 */
public record ApiRoutes(TokenService tokens, TokenVerifier verifier, Tickets tickets, AccessService access,
                        Supplier<String> jwks, Function<String, Optional<String>> userIdOf,
                        Function<String, String> userNameOf, BiConsumer<String, byte[]> documentUpdated,
                        Consumer<String> accessChanged,
                        Discovery discovery, PrometheusMeterRegistry metrics, BooleanSupplier healthy,
                        boolean devMode) {

    public ApiRoutes {
        Objects.requireNonNull(verifier);
        Objects.requireNonNull(tickets);
        Objects.requireNonNull(access);
        Objects.requireNonNull(userIdOf);
        Objects.requireNonNull(userNameOf);
        Objects.requireNonNull(documentUpdated);
        Objects.requireNonNull(accessChanged);
        Objects.requireNonNull(discovery);
        Objects.requireNonNull(metrics);
        Objects.requireNonNull(healthy);
    }

    Router router() {
        Router router = new Router();
        Callers callers = new Callers(verifier, devMode, metrics);
        new AuthEndpoints(tokens, tickets, access, callers, metrics).register(router);
        new DocumentEndpoints(access, callers, userIdOf, userNameOf, documentUpdated, accessChanged).register(router);
        new MetaEndpoints(discovery, jwks, metrics, healthy).register(router);
        return router;
    }
}
