package dev.quire.session;

import java.util.Objects;

/**
 * A token endpoint request failed. {@link #kind()} decides what the session does: retry later, or give up. The
 * message names the HTTP status and the RFC 6749 §5.2 error code, never a credential or a response body.
 */
public final class TokenEndpointException extends RuntimeException {

    /** How a failure is handled. */
    public enum Kind {
        /** Network error, timeout, 5xx, 408, 429, or an answer that could not be read: retry with backoff. */
        TRANSIENT,
        /** The server refused the grant (4xx such as {@code invalid_grant}): final, the session ends. */
        REJECTED
    }

    private final Kind kind;
    private final int status;
    private final String error;

    /**
     * @param status the HTTP status, or 0 when there was no answer
     * @param error  the RFC 6749 §5.2 {@code error} code, or null
     */
    public TokenEndpointException(Kind kind, int status, String error, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind);
        this.status = status;
        this.error = error;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isTransient() {
        return kind == Kind.TRANSIENT;
    }

    /** The HTTP status, or 0 when the server was not reached or did not answer. */
    public int status() {
        return status;
    }

    /** The RFC 6749 §5.2 error code ({@code invalid_grant}, ...), or null. */
    public String error() {
        return error;
    }
}
