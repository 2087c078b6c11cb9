package dev.quire.protocol;

import java.util.Objects;

/**
 * Server to client, once the connection is authenticated: who the server took the client to be, when the token it
 * connected with expires (seconds since the epoch, the JWT {@code exp}), so the client knows when to {@link Renew},
 * and whether the user may only read the document. Sent again when the user's role changes on a live connection.
 *
 * <p>On the wire the read-only flag is a trailing varuint 1, present only for a reader: a writer's auth-ok is the same
 * bytes as before the flag existed, and a frame without it reads as writable.
 */
public record AuthOk(String userId, long expiresAtEpochSeconds, boolean readOnly) implements QuireMessage {
    public AuthOk {
        Objects.requireNonNull(userId, "userId");
        AwarenessEntry.requireSafeUint("expiry", expiresAtEpochSeconds);
    }

    /** A writer's auth-ok. */
    public AuthOk(String userId, long expiresAtEpochSeconds) {
        this(userId, expiresAtEpochSeconds, false);
    }
}
