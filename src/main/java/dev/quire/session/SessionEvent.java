package dev.quire.session;

import java.time.Duration;
import java.util.Objects;

/** What a {@link SessionListener} hears about a session. */
public sealed interface SessionEvent permits SessionEvent.TokenRefreshed, SessionEvent.RefreshFailed,
        SessionEvent.SessionEnded {

    /** A new access token is in use (live connections send it in-band as {@code renew}). */
    record TokenRefreshed(AccessToken token) implements SessionEvent {
        public TokenRefreshed {
            Objects.requireNonNull(token);
        }
    }

    /**
     * A refresh failed for a transient reason; the user is still signed in and the next attempt comes after {@code
     * retryIn}.
     *
     * @param failures    consecutive failures so far (1 for the first)
     * @param status      the HTTP status, 0 when the server was not reached
     * @param tokenValid  whether the current access token is still valid (connections keep working)
     */
    record RefreshFailed(int failures, int status, Duration retryIn, boolean tokenValid) implements SessionEvent {
    }

    /**
     * The session is over: no token will be handed out again. Delivered once to every listener.
     *
     * @param error the server's RFC 6749 §5.2 error code when it rejected a refresh ({@code invalid_grant}), else
     *              null
     */
    record SessionEnded(Reason reason, String error) implements SessionEvent {
        public SessionEnded {
            Objects.requireNonNull(reason);
        }
    }

    /** Why a session ended. */
    enum Reason {
        /** The user logged out. */
        LOGGED_OUT,
        /** The server refused the refresh token (revoked, expired, reused, user disabled or deleted). */
        REJECTED,
        /** The app closed the session (quitting); the refresh token stays in the vault to resume next time. */
        CLOSED
    }
}
