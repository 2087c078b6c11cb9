package dev.quire.net;

import java.util.Objects;

/** The server URL does not lead to a Quire server this client can use; {@link #kind()} says why, for the UI. */
public final class DiscoveryException extends RuntimeException {

    /** Why discovery failed. */
    public enum Kind {
        /** No answer (wrong host or port, offline, timeout): check the address or the network. */
        UNREACHABLE,
        /** Something answered, but not a Quire server (no {@code /.well-known/quire}, or not JSON). */
        NOT_QUIRE,
        /** A Quire server too old (or too new) for this client: it lacks an endpoint or speaks another protocol. */
        INCOMPATIBLE
    }

    private final Kind kind;

    public DiscoveryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind);
    }

    public Kind kind() {
        return kind;
    }
}
