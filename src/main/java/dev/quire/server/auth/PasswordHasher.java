package dev.quire.server.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted slow password hashes with PBKDF2-HMAC-SHA256 from the JDK, encoded as
 * {@code pbkdf2-sha256$ITERATIONS$SALT$HASH} (standard base64, no padding). The encoded form names its own
 * iteration count, so the default can be raised later without invalidating stored hashes: old ones still verify and
 * {@link #needsRehash} says which to re-hash at the next successful login.
 *
 * <p>600,000 iterations is the OWASP Password Storage Cheat Sheet figure for PBKDF2-HMAC-SHA256 (2023); tests pass a
 * low count. The encoded form never contains ':' (base64 and '$' only), so it fits a line of the users file.
 */
public final class PasswordHasher {
    public static final int DEFAULT_ITERATIONS = 600_000;
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    /** Refuse absurd counts in a stored hash (a tampered file must not make a login run for hours). */
    private static final int MAX_ITERATIONS = 10_000_000;
    /** PBKDF2 takes any length, but a megabyte "password" is a denial-of-service attempt, not a password. */
    static final int MAX_PASSWORD_LENGTH = 1024;

    private final int iterations;
    private final SecureRandom random;

    public PasswordHasher(int iterations, SecureRandom random) {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be between 1 and " + MAX_ITERATIONS + ": " + iterations);
        }
        this.iterations = iterations;
        this.random = Objects.requireNonNull(random);
    }

    public int iterations() {
        return iterations;
    }

    /** A new salted hash of {@code password}, in the encoded form. */
    public String hash(char[] password) {
        requirePassword(password);
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = pbkdf2(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /**
     * Whether {@code password} matches {@code encoded}. The comparison is constant-time ({@link
     * MessageDigest#isEqual}); a malformed encoded hash never matches.
     */
    public boolean verify(char[] password, String encoded) {
        if (password == null || password.length == 0 || password.length > MAX_PASSWORD_LENGTH) {
            return false;
        }
        Parsed p = parse(encoded);
        if (p == null) {
            return false;
        }
        return MessageDigest.isEqual(p.hash(), pbkdf2(password, p.salt(), p.iterations(), p.hash().length * 8));
    }

    /** Whether {@code encoded} was made with fewer iterations than this hasher uses (or cannot be read). */
    public boolean needsRehash(String encoded) {
        Parsed p = parse(encoded);
        return p == null || p.iterations() < iterations;
    }

    /** Whether {@code encoded} has the shape of a hash this class writes (used to check the users file). */
    static boolean isWellFormed(String encoded) {
        return parse(encoded) != null;
    }

    private record Parsed(int iterations, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String encoded) {
        if (encoded == null) {
            return null;
        }
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            return null;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] hash = Base64.getDecoder().decode(parts[3]);
            if (iterations < 1 || iterations > MAX_ITERATIONS || salt.length == 0 || hash.length < 16
                    || hash.length > 64) {
                return null;
            }
            return new Parsed(iterations, salt, hash);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void requirePassword(char[] password) {
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("the password must not be empty");
        }
        if (password.length > MAX_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("the password must be at most " + MAX_PASSWORD_LENGTH + " characters");
        }
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
        return pbkdf2(password, salt, iterations, HASH_BITS);
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            // Every Java SE 8+ runtime has PBKDF2WithHmacSHA256 (Java Security Standard Algorithm Names).
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM", e);
        } finally {
            spec.clearPassword();
        }
    }

    @Override
    public String toString() {
        return "PasswordHasher[" + SCHEME + ", " + iterations + " iterations]";
    }
}
