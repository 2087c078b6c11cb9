package dev.quire.session;

import java.util.Objects;

/** Thrown (in a future) by {@link Session#accessToken()} once the session has ended: sign in again. */
public final class SessionEndedException extends RuntimeException {
    private final SessionEvent.SessionEnded ended;

    public SessionEndedException(SessionEvent.SessionEnded ended) {
        super("the session has ended (" + ended.reason() + (ended.error() == null ? "" : ", " + ended.error())
                + "): sign in again", null, false, false);
        this.ended = Objects.requireNonNull(ended);
    }

    public SessionEvent.SessionEnded ended() {
        return ended;
    }
}
