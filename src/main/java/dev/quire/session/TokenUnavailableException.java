package dev.quire.session;

/**
 * Thrown (in a future) by {@link Session#accessToken()} when the token has expired and the refresh failed for a
 * transient reason. The user is still signed in and the session keeps retrying; ask again later.
 */
public final class TokenUnavailableException extends RuntimeException {
    public TokenUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
