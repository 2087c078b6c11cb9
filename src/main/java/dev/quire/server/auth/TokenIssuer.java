package dev.quire.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;

/**
 * Signs access tokens with the {@link KeyRing}'s current key: a JWT (RFC 7519) with header {@code alg=ES256},
 * {@code kid}, {@code typ=JWT} and claims {@code iss}, {@code aud}, {@code sub} (the user id), {@code name}, {@code
 * iat}, {@code nbf}, {@code exp} = iat + access TTL, {@code jti} (128 random bits).
 *
 * <p>Times are whole seconds (JWT NumericDate), truncated from the clock, so {@code exp - iat} is exactly the TTL.
 */
public final class TokenIssuer {
    private final KeyRing keys;
    private final String issuer;
    private final String audience;
    private final Duration accessTtl;
    private final Clock clock;
    private final SecureRandom random;

    public TokenIssuer(KeyRing keys, String issuer, String audience, Duration accessTtl, Clock clock,
                       SecureRandom random) {
        this.keys = Objects.requireNonNull(keys);
        this.issuer = requireText("issuer", issuer);
        this.audience = requireText("audience", audience);
        if (accessTtl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the access token lifetime must be at least 1 s: " + accessTtl);
        }
        this.accessTtl = accessTtl.withNanos(0);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
    }

    public Duration accessTtl() {
        return accessTtl;
    }

    public String issuer() {
        return issuer;
    }

    public String audience() {
        return audience;
    }

    /** A fresh access token for {@code user}. */
    public AccessToken issue(User user) {
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        Instant exp = now.plus(accessTtl);
        byte[] id = new byte[16];
        random.nextBytes(id);
        String jti = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        ECKey key = keys.signingKey();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(user.id())
                .claim("name", user.name())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(exp))
                .jwtID(jti)
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with key " + key.getKeyID(), e);
        }
        return new AccessToken(jwt.serialize(), jti, exp, accessTtl);
    }

    private static String requireText(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the " + what + " must not be blank");
        }
        return value;
    }

    @Override
    public String toString() {
        return "TokenIssuer[iss=" + issuer + ", aud=" + audience + ", ttl=" + accessTtl + "]";
    }
}
