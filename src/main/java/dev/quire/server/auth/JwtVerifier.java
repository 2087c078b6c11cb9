package dev.quire.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies access tokens, this server's own ({@link #forKeyRing}) or an external identity provider's ({@link
 * #forTrustedJwks}). In order, each failure with its code:
 * <ol>
 *   <li>null or blank → {@code AUTH_REQUIRED}; not a signed JWT (which includes {@code alg: none}) →
 *       {@code TOKEN_INVALID}</li>
 *   <li>the header's {@code alg} is on the allow-list, else {@code TOKEN_INVALID}. HMAC algorithms are never on it:
 *       a verifier that accepted HS256 with "the key" would take the server's <em>public</em> key as the HMAC
 *       secret, and anyone can sign with that (the classic algorithm-confusion attack). The key's type must also
 *       fit the algorithm, and a key's own {@code alg}/{@code use}, where given, must agree.</li>
 *   <li>{@code kid} present and known, signature valid → else {@code TOKEN_INVALID}</li>
 *   <li>{@code iss} equal, {@code aud} containing our audience, {@code sub} present → else {@code TOKEN_INVALID}</li>
 *   <li>{@code exp} present and not passed by more than the leeway → else {@code TOKEN_EXPIRED}, unless an
 *       expired-token grace is set and covers it (then accepted, {@link Verified#graced()});
 *       {@code nbf}/{@code iat} not in the future by more than the leeway → else {@code TOKEN_INVALID}</li>
 *   <li>the user exists and is not disabled → else {@code USER_NOT_FOUND}. With an external IdP a user unknown to
 *       the directory is admitted under the token's {@code name} or {@code preferred_username} (the IdP owns the
 *       accounts); one the directory has disabled is still refused (docs/decisions/0005).</li>
 * </ol>
 * The leeway (default and at most {@link #MAX_LEEWAY}) absorbs clock differences between issuer and server.
 * Exception messages say which check failed, never the token.
 */
public final class JwtVerifier implements TokenVerifier {
    /** The most clock skew we forgive: RFC 7519 §4.1.4 allows "a small leeway, usually no more than a few minutes". */
    public static final Duration MAX_LEEWAY = Duration.ofSeconds(60);
    /** Far larger than any real access token; a bigger one is refused before any parsing. */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;
    private static final Set<JWSAlgorithm> OWN_ALGORITHMS = Set.of(JWSAlgorithm.ES256);
    /**
     * Asymmetric algorithms identity providers use: Keycloak and Auth0 sign with RS256 by default. Never HS*, never
     * none.
     */
    private static final Set<JWSAlgorithm> EXTERNAL_ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.RS256, JWSAlgorithm.PS256);
    private static final int MIN_RSA_BITS = 2048;

    /**
     * A token that passed.
     *
     * @param principal      who it speaks for; {@code expiresAt} is the token's {@code exp}, or, for a token accepted
     *                       after its {@code exp} (within the leeway or the grace), the last instant it would still be
     *                       accepted, so a connection is not closed the moment it opens
     * @param tokenExpiresAt the token's {@code exp}
     * @param graced         accepted only because of the expired-token grace: the caller should log a warning
     */
    public record Verified(Principal principal, Instant tokenExpiresAt, boolean graced) {
    }

    private final VerificationKeys keys;
    private final Set<JWSAlgorithm> algorithms;
    private final boolean external;
    private final String issuer;
    private final String audience;
    private final UserDirectory users;
    private final Clock clock;
    private final Duration leeway;
    private final Duration expiredGrace;

    private JwtVerifier(VerificationKeys keys, Set<JWSAlgorithm> algorithms, boolean external, String issuer,
                        String audience, UserDirectory users, Clock clock, Duration leeway, Duration expiredGrace) {
        this.keys = Objects.requireNonNull(keys);
        this.algorithms = algorithms;
        this.external = external;
        this.issuer = requireText("issuer", issuer);
        this.audience = requireText("audience", audience);
        this.users = Objects.requireNonNull(users);
        this.clock = Objects.requireNonNull(clock);
        this.leeway = leeway;
        this.expiredGrace = expiredGrace;
    }

    /** Verifies this server's own tokens (as {@link TokenIssuer} signs them with {@code keys}). */
    public static JwtVerifier forKeyRing(KeyRing keys, String issuer, String audience, UserDirectory users,
                                         Clock clock) {
        return new JwtVerifier(keys, OWN_ALGORITHMS, false, issuer, audience, users, clock, MAX_LEEWAY,
                Duration.ZERO);
    }

    /**
     * Verifies tokens of an external identity provider ({@code --trust-jwks FILE|URL --issuer --audience}).
     *
     * @param fileOrUrl a JWK set file, or an https URL (http only on loopback)
     * @throws IllegalArgumentException for a bad URL; IllegalStateException for a missing or unreadable file
     */
    public static JwtVerifier forTrustedJwks(String fileOrUrl, String issuer, String audience, UserDirectory users,
                                             Clock clock) {
        return new JwtVerifier(TrustedJwks.load(fileOrUrl), EXTERNAL_ALGORITHMS, true, issuer, audience, users, clock,
                MAX_LEEWAY, Duration.ZERO);
    }

    /** The same verifier with another leeway, from zero to {@link #MAX_LEEWAY}. */
    public JwtVerifier withLeeway(Duration leeway) {
        if (leeway.isNegative() || leeway.compareTo(MAX_LEEWAY) > 0) {
            throw new IllegalArgumentException("the leeway must be between 0 and " + MAX_LEEWAY.toSeconds() + " s: "
                    + leeway);
        }
        return new JwtVerifier(keys, algorithms, external, issuer, audience, users, clock, leeway, expiredGrace);
    }

    /**
     * The same verifier, also accepting tokens expired by up to {@code grace} ({@code --expired-grace}, for
     * migrations; zero turns it off). A key ring must keep retired keys that much longer ({@link KeyRing#open}).
     */
    public JwtVerifier withExpiredGrace(Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the expired-token grace must not be negative: " + grace);
        }
        return new JwtVerifier(keys, algorithms, external, issuer, audience, users, clock, leeway, grace);
    }

    public Duration leeway() {
        return leeway;
    }

    public Duration expiredGrace() {
        return expiredGrace;
    }

    @Override
    public Principal verify(String accessToken) {
        return verifyDetailed(accessToken).principal();
    }

    /** As {@link #verify}, and says whether the token was let in only by the expired-token grace. */
    public Verified verifyDetailed(String accessToken) {
        if (accessToken == null || accessToken.isBlank()) {
            throw new AuthException(AuthError.AUTH_REQUIRED, "an access token is required");
        }
        if (accessToken.length() > MAX_TOKEN_LENGTH) {
            throw invalid("the token is longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        SignedJWT jwt;
        try {
            // Unsigned tokens (alg "none") are not JWS objects and fail here.
            jwt = SignedJWT.parse(accessToken);
        } catch (ParseException e) {
            throw invalid("the token is not a signed JWT");
        }
        JWSHeader header = jwt.getHeader();
        if (!algorithms.contains(header.getAlgorithm())) {
            throw invalid("the algorithm " + safe(header.getAlgorithm().getName()) + " is not accepted; accepted: "
                    + algorithms.stream().map(JWSAlgorithm::getName).sorted().toList());
        }
        String kid = header.getKeyID();
        if (kid == null || kid.isEmpty()) {
            throw invalid("the token names no key (kid)");
        }
        JWK key = keys.find(kid).orElseThrow(() -> invalid("the token's key " + safe(kid) + " is not known here"));
        if (!checkSignature(jwt, key)) {
            throw invalid("the token's signature does not verify");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw invalid("the token's claims are not a JSON object");
        }
        if (!issuer.equals(claims.getIssuer())) {
            throw invalid("the token was issued by " + safe(claims.getIssuer()) + ", not " + issuer);
        }
        List<String> aud = claims.getAudience();
        if (aud == null || !aud.contains(audience)) {
            throw invalid("the token is not meant for audience " + audience);
        }
        String sub = claims.getSubject();
        if (sub == null || sub.isEmpty() || sub.length() > 200 || !sub.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw invalid("the token's subject is missing or not a valid user id");
        }
        Times times = checkTimes(claims);
        Principal principal = principal(sub, claims, times.validUntil());
        return new Verified(principal, times.exp(), times.graced());
    }

    private record Times(Instant exp, Instant validUntil, boolean graced) {
    }

    private Times checkTimes(JWTClaimsSet claims) {
        Instant now = clock.instant();
        Date expDate = claims.getExpirationTime();
        if (expDate == null) {
            throw invalid("the token has no expiry (exp)");
        }
        Instant exp = expDate.toInstant();
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.isBefore(nbf.toInstant().minus(leeway))) {
            throw invalid("the token is not valid yet (nbf " + nbf.toInstant() + ")");
        }
        Date iat = claims.getIssueTime();
        if (iat != null && now.isBefore(iat.toInstant().minus(leeway))) {
            throw invalid("the token was issued in the future (iat " + iat.toInstant() + ")");
        }
        if (!now.isAfter(exp)) {
            return new Times(exp, exp, false);
        }
        Instant withLeeway = exp.plus(leeway);
        if (!now.isAfter(withLeeway)) {
            return new Times(exp, max(withLeeway, exp.plus(expiredGrace)), false);
        }
        Instant withGrace = exp.plus(expiredGrace);
        if (!now.isAfter(withGrace)) {
            return new Times(exp, withGrace, true);
        }
        throw new AuthException(AuthError.TOKEN_EXPIRED, "the token expired at " + exp);
    }

    private Principal principal(String sub, JWTClaimsSet claims, Instant validUntil) {
        Optional<User> user = users.byId(sub);
        if (user.isPresent()) {
            if (user.get().disabled()) {
                throw new AuthException(AuthError.USER_NOT_FOUND, "user " + sub + " is disabled");
            }
            return new Principal(sub, user.get().name(), validUntil);
        }
        if (!external) {
            throw new AuthException(AuthError.USER_NOT_FOUND, "user " + sub + " does not exist");
        }
        return new Principal(sub, externalName(sub, claims), validUntil);
    }

    /** The display name an identity provider gives: OIDC {@code name}, else {@code preferred_username}, else sub. */
    private static String externalName(String sub, JWTClaimsSet claims) {
        for (String claim : List.of("name", "preferred_username")) {
            Object v = claims.getClaim(claim);
            if (v instanceof String s && !s.isBlank()) {
                return s.length() > 200 ? s.substring(0, 200) : s;
            }
        }
        return sub;
    }

    private boolean checkSignature(SignedJWT jwt, JWK key) {
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (key.getAlgorithm() != null && !key.getAlgorithm().equals(alg)) {
            return false; // the key is declared for another algorithm
        }
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            return false;
        }
        try {
            JWSVerifier verifier;
            if (JWSAlgorithm.Family.EC.contains(alg) && key instanceof ECKey ec) {
                verifier = new ECDSAVerifier(ec.toECPublicKey()); // checks that the curve fits alg
            } else if (JWSAlgorithm.Family.RSA.contains(alg) && key instanceof RSAKey rsa && rsa.size() >= MIN_RSA_BITS) {
                verifier = new RSASSAVerifier(rsa.toRSAPublicKey());
            } else {
                return false;
            }
            return jwt.verify(verifier);
        } catch (JOSEException | IllegalStateException e) {
            return false;
        }
    }

    private static AuthException invalid(String why) {
        return new AuthException(AuthError.TOKEN_INVALID, why);
    }

    /** Header and claim values are attacker-chosen: short and printable before they go into a message. */
    private static String safe(String s) {
        if (s == null) {
            return "(none)";
        }
        String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return "\"" + cut.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String requireText(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the " + what + " must not be blank");
        }
        return value;
    }

    @Override
    public String toString() {
        return "JwtVerifier[" + (external ? "external" : "own") + " keys, iss=" + issuer + ", aud=" + audience
                + ", leeway=" + leeway + ", grace=" + expiredGrace + "]";
    }
}
