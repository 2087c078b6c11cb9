package dev.quire.protocol;

import java.util.Objects;

/**
 * Server to client: something the client sent was refused, with a machine-readable code (issue 5's codes:
 * {@code AUTH_REQUIRED}, {@code TOKEN_INVALID}, {@code TOKEN_EXPIRED}, {@code USER_NOT_FOUND}, {@code FORBIDDEN},
 * and others the server defines) and a message for people. Neither ever contains a token.
 */
public record ErrorMessage(String code, String message) implements QuireMessage {
    public ErrorMessage {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
