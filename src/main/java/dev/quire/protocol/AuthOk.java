package dev.quire.protocol;

import java.util.Objects;

/**
 * Server to client, once the connection is authenticated: who the server took the client to be, and when the
 * token it connected with expires (seconds since the epoch, the JWT {@code exp}), so the client knows when to
 * {@link Renew}.
 */
public record AuthOk(String userId, long expiresAtEpochSeconds) implements QuireMessage {
    public AuthOk {
        Objects.requireNonNull(userId, "userId");
        AwarenessEntry.requireSafeUint("expiry", expiresAtEpochSeconds);
    }
}
