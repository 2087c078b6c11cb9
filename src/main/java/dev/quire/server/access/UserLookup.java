package dev.quire.server.access;

/**
 * Whether a user id names an existing, enabled user: asked before a document is shared with someone. The server
 * wires it to its user directory (or, with an external identity provider, to whatever it knows of users).
 */
@FunctionalInterface
public interface UserLookup {
    boolean exists(String userId);
}
