package dev.quire.engine;

import dev.quire.session.RefreshTokenVault;
import java.util.Optional;

/**
 * The vault of a sign-in whose user is not known yet: the session stores the first refresh token while signing in,
 * but the profile (so the real vault) is named after the user id the token endpoint answers with. Holds the token in
 * memory until {@link #bind} hands it to the profile's vault, then forwards everything there.
 */
final class PendingVault implements RefreshTokenVault {
    private RefreshTokenVault target;
    private String held;

    /** Moves the held token into {@code vault} and forwards to it from now on. */
    synchronized void bind(RefreshTokenVault vault) {
        target = vault;
        if (held != null) {
            vault.store(held);
            held = null;
        }
    }

    @Override
    public synchronized Optional<String> load() {
        return target != null ? target.load() : Optional.ofNullable(held);
    }

    @Override
    public synchronized void store(String refreshToken) {
        if (target != null) {
            target.store(refreshToken);
        } else {
            held = refreshToken;
        }
    }

    @Override
    public synchronized void clear() {
        if (target != null) {
            target.clear();
        }
        held = null;
    }

    @Override
    public String toString() {
        return "PendingVault[" + (target != null ? target : "unbound") + "]";
    }
}
