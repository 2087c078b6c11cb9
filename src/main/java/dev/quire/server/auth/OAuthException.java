package dev.quire.server.auth;

import java.util.Objects;

/**
 * A token endpoint request failed, as RFC 6749 §5.2 reports it: {@link #error()} is the {@code error} code, {@link
 * #getMessage()} the {@code error_description}, {@link #httpStatus()} the status to answer with. {@link #reason()}
 * says more precisely what happened, for logs and metrics only: on the wire a wrong password and an unknown user
 * must look the same.
 */
public final class OAuthException extends RuntimeException {
    public static final String INVALID_REQUEST = "invalid_request";
    public static final String INVALID_GRANT = "invalid_grant";
    public static final String UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type";

    /** What went wrong, for the server's logs and metrics (never sent to the client). */
    public enum Reason {
        MALFORMED_REQUEST,
        UNSUPPORTED_GRANT_TYPE,
        /** Wrong password, unknown user or disabled user: deliberately one reason on the wire. */
        BAD_CREDENTIALS,
        REFRESH_UNKNOWN,
        REFRESH_EXPIRED,
        REFRESH_REVOKED,
        /** A used refresh token was presented again; its family is revoked now. */
        REFRESH_REUSED,
        /** The refresh token was fine but its user is gone or disabled. */
        USER_GONE
    }

    private final String error;
    private final int httpStatus;
    private final Reason reason;

    public OAuthException(String error, String description, int httpStatus) {
        this(error, description, httpStatus, error.equals(INVALID_REQUEST) ? Reason.MALFORMED_REQUEST
                : error.equals(UNSUPPORTED_GRANT_TYPE) ? Reason.UNSUPPORTED_GRANT_TYPE : Reason.BAD_CREDENTIALS);
    }

    OAuthException(String error, String description, int httpStatus, Reason reason) {
        super(description, null, false, false);
        this.error = Objects.requireNonNull(error);
        this.httpStatus = httpStatus;
        this.reason = Objects.requireNonNull(reason);
    }

    static OAuthException invalidRequest(String description) {
        return new OAuthException(INVALID_REQUEST, description, 400, Reason.MALFORMED_REQUEST);
    }

    static OAuthException invalidGrant(String description, Reason reason) {
        // RFC 6749 §5.2: 400 for everything but invalid_client.
        return new OAuthException(INVALID_GRANT, description, 400, reason);
    }

    /** The RFC 6749 §5.2 {@code error} code. */
    public String error() {
        return error;
    }

    /** The {@code error_description}: safe to send, never contains a credential. */
    public String description() {
        return getMessage();
    }

    public int httpStatus() {
        return httpStatus;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "OAuthException[" + error + " (" + reason + "): " + getMessage() + "]";
    }
}
