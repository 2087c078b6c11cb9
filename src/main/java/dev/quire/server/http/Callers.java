package dev.quire.server.http;

import dev.quire.server.auth.AuthError;
import dev.quire.server.auth.AuthException;
import dev.quire.server.auth.Principal;
import dev.quire.server.auth.TokenVerifier;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Who is calling: the bearer token's user (RFC 6750 §2.1, header only: a token in the query is refused, since URLs
 * end up in logs), or user {@code dev} in dev mode.
 */
final class Callers {
    private final TokenVerifier verifier;
    private final boolean devMode;
    private final MeterRegistry metrics;

    Callers(TokenVerifier verifier, boolean devMode, MeterRegistry metrics) {
        this.verifier = verifier;
        this.devMode = devMode;
        this.metrics = metrics;
    }

    Principal of(Exchange exchange) {
        if (devMode) {
            return Principal.DEV;
        }
        try {
            if (exchange.query().containsKey("access_token")) {
                throw new AuthException(AuthError.TOKEN_INVALID,
                        "access tokens are not accepted in URLs; send an Authorization: Bearer header");
            }
            String token = exchange.bearerToken().orElseThrow(() -> new AuthException(AuthError.AUTH_REQUIRED,
                    "this request needs an Authorization: Bearer header with an access token"));
            return verifier.verify(token);
        } catch (AuthException e) {
            metrics.counter("quire.auth.failures", "code", e.code().name()).increment();
            throw e;
        }
    }
}
