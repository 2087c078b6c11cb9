package dev.quire.server.auth;

/**
 * A credential was refused. The message says why in words for logs and error bodies; it never contains the token,
 * ticket, refresh token or password itself.
 */
public final class AuthException extends RuntimeException {
    private final AuthError code;

    public AuthException(AuthError code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public AuthError code() {
        return code;
    }
}
