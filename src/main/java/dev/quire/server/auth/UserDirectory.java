package dev.quire.server.auth;

import java.util.List;
import java.util.Optional;

/**
 * The accounts of this server. Implementations are thread-safe and see changes made by other processes (an operator
 * adding a user with {@code ./quire server user add} while the server runs).
 */
public interface UserDirectory {
    Optional<User> byId(String id);

    Optional<User> byName(String name);

    /** The stored password hash of user {@code id} (in {@link PasswordHasher}'s encoded form), if the user exists. */
    Optional<String> passwordHash(String id);

    /**
     * Adds a user with a new random id.
     *
     * @param passwordHash in {@link PasswordHasher}'s encoded form
     * @throws IllegalArgumentException if the name is not valid ({@link User#isValidName}) or already taken
     */
    User add(String name, String passwordHash);

    /** Replaces the password hash (a new password, or a re-hash with more iterations); false if no such user. */
    boolean setPasswordHash(String id, String passwordHash);

    /** Disables ({@code true}) or re-enables a user; false if no such user. */
    boolean setDisabled(String id, boolean disabled);

    /** Disables a user: it can no longer log in, refresh, connect or renew. False if no such user. */
    default boolean disable(String id) {
        return setDisabled(id, true);
    }

    /** Deletes a user; false if no such user. Their documents and refresh tokens are the caller's business. */
    boolean delete(String id);

    /** Every user, in the order they were added. */
    List<User> list();
}
