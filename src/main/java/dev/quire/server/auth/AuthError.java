package dev.quire.server.auth;

/**
 * Why a request or connection was not let in. The names are the wire codes: the close reason of a 1008 close, the
 * {@code error} of an HTTP error body and of a Quire {@code error} message.
 */
public enum AuthError {
    /** No credential where one is needed (no token, no ticket). */
    AUTH_REQUIRED,
    /** The credential is not one this server accepts: bad signature, algorithm, kid, issuer, audience, format. */
    TOKEN_INVALID,
    /** The credential was valid once and has expired. */
    TOKEN_EXPIRED,
    /** The token is valid but its subject is not a user here, or is disabled. */
    USER_NOT_FOUND,
    /** The user is known but may not do this (write as a reader, renew as another user). */
    FORBIDDEN
}
