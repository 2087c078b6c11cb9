package dev.quire.server.sync;

import dev.quire.server.auth.AuthError;
import dev.quire.server.auth.AuthException;
import dev.quire.server.auth.Principal;
import dev.quire.server.auth.TokenVerifier;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one stand-in for the real JWT verifier (dev.quire.server.auth, another branch): opaque random tokens issued
 * here, checked against the shared test clock, with the same error codes. The lead swaps in JwtVerifier.
 */
final class TestTokens implements TokenVerifier {
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Principal> issued = new ConcurrentHashMap<>();
    private final Set<String> deletedUsers = ConcurrentHashMap.newKeySet();

    TestTokens(Clock clock) {
        this.clock = clock;
    }

    String issue(String userId, String name, Duration ttl) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = "tok_" + HexFormat.of().formatHex(bytes);
        issued.put(token, new Principal(userId, name, clock.instant().plus(ttl)));
        return token;
    }

    void deleteUser(String userId) {
        deletedUsers.add(userId);
    }

    @Override
    public Principal verify(String accessToken) {
        if (accessToken == null || accessToken.isBlank()) {
            throw new AuthException(AuthError.AUTH_REQUIRED, "no token");
        }
        Principal p = issued.get(accessToken);
        if (p == null) {
            throw new AuthException(AuthError.TOKEN_INVALID, "unknown token");
        }
        if (!clock.instant().isBefore(p.expiresAt())) {
            throw new AuthException(AuthError.TOKEN_EXPIRED, "token expired");
        }
        if (deletedUsers.contains(p.userId())) {
            throw new AuthException(AuthError.USER_NOT_FOUND, "no such user");
        }
        return p;
    }
}
