package dev.quire.server.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * Who a verified credential speaks for, and until when.
 *
 * @param userId    the stable user id (the token's {@code sub})
 * @param name      the display name, as the server knows it (never what a client claims)
 * @param expiresAt when the credential stops being valid ({@link Instant#MAX} in dev mode)
 */
public record Principal(String userId, String name, Instant expiresAt) {
    /** Everyone in dev mode ({@code --dev}, loopback only): no credential, never expires. */
    public static final Principal DEV = new Principal("dev", "dev", Instant.MAX);

    public Principal {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
