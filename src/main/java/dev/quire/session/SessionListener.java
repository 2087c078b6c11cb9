package dev.quire.session;

/**
 * Hears a session's events, on no particular thread (the UI hands over to its own). Must not block; an exception it
 * throws is logged and does not stop the other listeners.
 */
@FunctionalInterface
public interface SessionListener {
    void onEvent(SessionEvent event);
}
