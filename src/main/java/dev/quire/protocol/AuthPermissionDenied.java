package dev.quire.protocol;

import java.util.Objects;

/**
 * y-protocols auth.js {@code messagePermissionDenied} under y-websocket's {@code messageAuth} (2). A stock
 * y-websocket client only logs the reason; Quire's server rejects connections with close code 1008 instead, so
 * this is here for completeness and for peers that send it.
 */
public record AuthPermissionDenied(String reason) implements Message {
    public AuthPermissionDenied {
        Objects.requireNonNull(reason, "reason");
    }
}
