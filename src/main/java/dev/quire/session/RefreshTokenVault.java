package dev.quire.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where a profile's refresh token rests between runs, so that the app can resume a session without asking for the
 * password. One vault holds one token: {@link #store} replaces it in one step, so a crash leaves either the old or the
 * new one, never none (refresh tokens rotate, and the session stores the new one before it forgets the old).
 *
 * <p>Failures are {@link VaultException}s whose messages name the place, never the token.
 */
public interface RefreshTokenVault {

    /** The stored refresh token, if any. */
    Optional<String> load();

    /** Replaces the stored token, durably, in one step. */
    void store(String refreshToken);

    /** Forgets the token (logout, or the server rejected it). Harmless when there is none. */
    void clear();

    /**
     * The best vault on this machine for a profile: the desktop's Secret Service when {@code secret-tool} is installed
     * and works, otherwise the file {@code refresh-token} in the profile directory, readable by its owner only.
     *
     * @param account names the profile in the credential store (for example its directory name); not a secret
     */
    static RefreshTokenVault forProfile(Path profileDir, String account) {
        Optional<RefreshTokenVault> os = secretService(account);
        return os.isPresent() ? os.get() : inProfile(profileDir);
    }

    /** The file {@code refresh-token} in {@code profileDir}, owner-only (rw-------) where the file system has POSIX permissions. */
    static RefreshTokenVault inProfile(Path profileDir) {
        return new FileVault(profileDir.resolve(FileVault.FILE_NAME));
    }

    /**
     * The freedesktop Secret Service (GNOME Keyring, KWallet) through the {@code secret-tool} command, if it exists and
     * a probe entry can be stored, read back and cleared (it needs a D-Bus session and an unlocked collection).
     */
    static Optional<RefreshTokenVault> secretService(String account) {
        SecretToolVault vault = new SecretToolVault(SecretToolVault.COMMAND, account, Duration.ofSeconds(10));
        return vault.works() ? Optional.of(vault) : Optional.empty();
    }
}
