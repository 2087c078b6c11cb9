package dev.quire.server.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A signed access token as issued.
 *
 * @param value     the compact JWT; a credential, so {@link #toString()} leaves it out
 * @param jti       the token's unique id (safe to log: it identifies the token without granting anything)
 * @param expiresAt its {@code exp}
 * @param expiresIn how long from issue to expiry (OAuth's {@code expires_in})
 */
public record AccessToken(String value, String jti, Instant expiresAt, Duration expiresIn) {
    public AccessToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(expiresIn, "expiresIn");
    }

    @Override
    public String toString() {
        return "AccessToken[jti=" + jti + ", expiresAt=" + expiresAt + "]";
    }
}
