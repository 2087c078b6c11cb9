package dev.quire.server.auth;

import dev.quire.server.storage.RefreshTokenStore;
import dev.quire.server.storage.RefreshTokenStore.Exchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The token endpoint's operations without the HTTP: {@code grant_type=password} and {@code grant_type=refresh_token}
 * (RFC 6749 §4.3, §6) and revocation (RFC 7009).
 *
 * <p>Refresh tokens are {@code qrt_} + 256 random bits (base64url); the prefix lets secret scanners recognise a leaked
 * one. Only their SHA-256 is stored ({@link RefreshTokenStore}); a plain hash suffices because the token is random,
 * not a password. They rotate: each is single use and the answer to a refresh carries the next one; presenting a used
 * one revokes its whole family (RFC 6819 §5.2.2.3).
 *
 * <p>Expiry is <em>absolute</em>: a family ends {@code refreshTtl} after its login however often it is rotated, so a
 * stolen-and-rotated family cannot live for ever and a user logs in at least once per {@code refreshTtl}. (Sliding
 * expiry would keep an always-open laptop logged in indefinitely; we prefer the bound.)
 *
 * <p>A wrong password, an unknown user and a disabled user give the same {@code invalid_grant} with the same
 * description, and take the same time: for an unknown user a dummy hash of the same cost is checked, so response
 * time does not reveal which names exist.
 */
public final class TokenService {
    static final String REFRESH_PREFIX = "qrt_";
    private static final Pattern REFRESH_TOKEN = Pattern.compile("qrt_[A-Za-z0-9_-]{43}");
    private static final String BAD_CREDENTIALS = "the user name or password is wrong";
    private static final String BAD_REFRESH = "the refresh token is not valid; log in again";

    private final UserDirectory users;
    private final PasswordHasher hasher;
    private final TokenIssuer issuer;
    private final RefreshTokenStore refreshTokens;
    private final Duration refreshTtl;
    private final Clock clock;
    private final SecureRandom random;
    /** Checked against when the user does not exist, so that takes as long as a wrong password. */
    private final String dummyHash;

    public TokenService(UserDirectory users, PasswordHasher hasher, TokenIssuer issuer, RefreshTokenStore refreshTokens,
                        Duration refreshTtl, Clock clock, SecureRandom random) {
        this.users = Objects.requireNonNull(users);
        this.hasher = Objects.requireNonNull(hasher);
        this.issuer = Objects.requireNonNull(issuer);
        this.refreshTokens = Objects.requireNonNull(refreshTokens);
        if (refreshTtl.compareTo(issuer.accessTtl()) < 0) {
            throw new IllegalArgumentException("the refresh token lifetime (" + refreshTtl
                    + ") must not be shorter than the access token lifetime (" + issuer.accessTtl() + ")");
        }
        this.refreshTtl = refreshTtl;
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
        byte[] dummy = new byte[24];
        random.nextBytes(dummy);
        this.dummyHash = hasher.hash(Base64.getEncoder().encodeToString(dummy).toCharArray());
    }

    public Duration refreshTtl() {
        return refreshTtl;
    }

    /**
     * Dispatches a token endpoint form ({@code application/x-www-form-urlencoded}, already decoded) by its {@code
     * grant_type}.
     */
    public TokenResponse token(Map<String, String> form) {
        String grantType = form.get("grant_type");
        if (grantType == null || grantType.isEmpty()) {
            throw OAuthException.invalidRequest("grant_type is required");
        }
        return switch (grantType) {
            case "password" -> {
                String password = form.get("password");
                yield passwordGrant(form.get("username"), password == null ? null : password.toCharArray());
            }
            case "refresh_token" -> refreshGrant(form.get("refresh_token"));
            default -> throw new OAuthException(OAuthException.UNSUPPORTED_GRANT_TYPE,
                    "grant_type must be password or refresh_token", 400, OAuthException.Reason.UNSUPPORTED_GRANT_TYPE);
        };
    }

    /** {@code grant_type=password}: a new login, starting a refresh token family. */
    public TokenResponse passwordGrant(String username, char[] password) {
        if (username == null || username.isEmpty() || password == null || password.length == 0) {
            throw OAuthException.invalidRequest("username and password are required");
        }
        Optional<User> found = User.isValidName(username) ? users.byName(username) : Optional.empty();
        Optional<String> stored = found.flatMap(u -> users.passwordHash(u.id()));
        // Always one hash check, against a dummy if there is no user: same time either way.
        boolean matches = hasher.verify(password, stored.orElse(dummyHash)) && stored.isPresent();
        if (!matches || found.get().disabled()) {
            throw OAuthException.invalidGrant(BAD_CREDENTIALS, OAuthException.Reason.BAD_CREDENTIALS);
        }
        User user = found.get();
        if (hasher.needsRehash(stored.get())) {
            users.setPasswordHash(user.id(), hasher.hash(password)); // the iteration count was raised
        }
        Instant now = clock.instant();
        String refresh = newRefreshToken();
        refreshTokens.startFamily(newFamilyId(), user.id(), hash(refresh), now, now.plus(refreshTtl));
        return response(user, refresh);
    }

    /** {@code grant_type=refresh_token}: uses the token and answers with a new pair. */
    public TokenResponse refreshGrant(String refreshToken) {
        if (refreshToken == null || refreshToken.isEmpty()) {
            throw OAuthException.invalidRequest("refresh_token is required");
        }
        if (!REFRESH_TOKEN.matcher(refreshToken).matches()) {
            throw OAuthException.invalidGrant(BAD_REFRESH, OAuthException.Reason.REFRESH_UNKNOWN);
        }
        String next = newRefreshToken();
        Instant now = clock.instant();
        Exchange result = refreshTokens.exchange(hash(refreshToken), hash(next), now);
        if (result instanceof Exchange.Rotated rotated) {
            Optional<User> user = users.byId(rotated.userId());
            if (user.isEmpty() || user.get().disabled()) {
                refreshTokens.revokeFamilyOf(hash(next), now);
                throw OAuthException.invalidGrant(BAD_REFRESH, OAuthException.Reason.USER_GONE);
            }
            return response(user.get(), next);
        }
        OAuthException.Reason reason;
        if (result instanceof Exchange.Reused) {
            reason = OAuthException.Reason.REFRESH_REUSED;
        } else if (result instanceof Exchange.Revoked) {
            reason = OAuthException.Reason.REFRESH_REVOKED;
        } else if (result instanceof Exchange.Expired) {
            reason = OAuthException.Reason.REFRESH_EXPIRED;
        } else {
            reason = OAuthException.Reason.REFRESH_UNKNOWN;
        }
        throw OAuthException.invalidGrant(BAD_REFRESH, reason);
    }

    /**
     * Revokes the family of a refresh token: logout (RFC 7009). As §2.2 asks, an unknown or malformed token is not an
     * error (the client's goal, the token being unusable, is met either way); an access token cannot be revoked here
     * (it is not stored) and simply expires.
     *
     * @return whether a refresh token family was found and revoked, for logs and metrics
     */
    public boolean revoke(String token) {
        if (token == null || !REFRESH_TOKEN.matcher(token).matches()) {
            return false;
        }
        return refreshTokens.revokeFamilyOf(hash(token), clock.instant()).isPresent();
    }

    /** Revokes every refresh token family of a user (disabled, deleted, "log out everywhere"). */
    public int revokeAllOf(String userId) {
        return refreshTokens.revokeAllOf(userId, clock.instant());
    }

    /** Deletes expired families; the server calls this now and then. Returns how many. */
    public int pruneExpired() {
        return refreshTokens.deleteExpired(clock.instant());
    }

    private TokenResponse response(User user, String refresh) {
        AccessToken access = issuer.issue(user);
        return new TokenResponse(access.value(), "Bearer", access.expiresIn().toSeconds(), refresh, user.id());
    }

    private String newRefreshToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return REFRESH_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private String newFamilyId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return "rf_" + HexFormat.of().formatHex(bytes);
    }

    /** SHA-256, lowercase hex: what the store keeps instead of the token. */
    static String hash(String refreshToken) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(refreshToken.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "TokenService[refreshTtl=" + refreshTtl + ", " + issuer + "]";
    }
}
