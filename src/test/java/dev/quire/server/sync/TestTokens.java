package dev.quire.server.sync;

import dev.quire.server.auth.FileUserDirectory;
import dev.quire.server.auth.JwtVerifier;
import dev.quire.server.auth.KeyRing;
import dev.quire.server.auth.PasswordHasher;
import dev.quire.server.auth.Principal;
import dev.quire.server.auth.TokenIssuer;
import dev.quire.server.auth.TokenVerifier;
import dev.quire.server.auth.User;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * Real tokens for the sync tests: ES256 JWTs signed by a real {@link KeyRing} and checked by the real {@link
 * JwtVerifier} against a real users file, on the tests' clock (with no leeway, so expiry is exact). Users are written
 * into the users file under the ids the tests use ("alice"), which the directory picks up as it would a hand edit.
 */
final class TestTokens implements TokenVerifier {
    static final String ISSUER = "quire-test";
    static final String AUDIENCE = "quire";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A cheap hash: these users never log in with a password. */
    private static final String HASH = new PasswordHasher(1000, RANDOM).hash("not-used-here".toCharArray());

    private final Clock clock;
    private final Path usersFile;
    private final FileUserDirectory users;
    private final KeyRing keys;
    private final JwtVerifier verifier;

    TestTokens(Clock clock, Path dir) {
        this.clock = clock;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.usersFile = dir.resolve("users");
        this.users = new FileUserDirectory(usersFile, RANDOM);
        this.keys = KeyRing.open(dir.resolve("keys.json"), Duration.ofDays(1), clock, RANDOM);
        this.verifier = JwtVerifier.forKeyRing(keys, ISSUER, AUDIENCE, users, clock).withLeeway(Duration.ZERO);
    }

    /** Makes sure the user exists in the users file. */
    synchronized void register(String userId, String name) {
        if (users.byId(userId).isPresent()) {
            return;
        }
        try {
            Files.writeString(usersFile, userId + ":" + name + ":" + HASH + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (users.byId(userId).isEmpty()) {
            throw new IllegalStateException("the users file did not take " + userId);
        }
    }

    String issue(String userId, String name, Duration ttl) {
        register(userId, name);
        return new TokenIssuer(keys, ISSUER, AUDIENCE, ttl, clock, RANDOM).issue(new User(userId, name, false))
                .value();
    }

    void deleteUser(String userId) {
        users.delete(userId);
    }

    boolean exists(String userId) {
        return users.byId(userId).isPresent();
    }

    @Override
    public Principal verify(String accessToken) {
        return verifier.verify(accessToken);
    }
}
