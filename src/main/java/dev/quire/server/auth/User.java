package dev.quire.server.auth;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An account of this server. The password hash is deliberately not part of it: a user is logged, listed and passed
 * around; the hash is read only by the login ({@link UserDirectory#passwordHash}).
 *
 * @param id       stable and random ({@code u_} + 20 lowercase base32 characters); tokens name it in {@code sub}
 * @param name     the login name, unique, {@code [A-Za-z0-9._-]{1,64}}
 * @param disabled a disabled user cannot log in, refresh, connect or renew
 */
public record User(String id, String name, boolean disabled) {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** Ids of this server's own users; ids from an external identity provider may be anything without ':'. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._@|-]{1,200}");

    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
