package dev.quire.session;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Reads an access token's {@code sub}, {@code name}, {@code iat} and {@code exp} (RFC 7519 §4.1) without checking its
 * signature: the client only needs to know when to refresh, and the server checks every token it receives anyway.
 */
final class JwtTimes {
    private JwtTimes() {
    }

    /**
     * @param grant  the token endpoint's answer
     * @param sentAt when the request was sent, on the client's clock: taking the send time rather than the arrival
     *               time errs on the early side by the request's latency
     * @throws TokenEndpointException (transient) when the token cannot be read
     */
    static AccessToken read(TokenGrant grant, Instant sentAt) {
        JWTClaimsSet claims;
        try {
            JWT jwt = JWTParser.parse(grant.accessToken());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            // Not the token's text: a ParseException message can quote it.
            throw unreadable("the access token is not a JWT", null);
        }
        Date exp = claims.getExpirationTime();
        String sub = claims.getSubject();
        if (exp == null || sub == null || sub.isEmpty()) {
            throw unreadable("the access token has no exp or no sub", null);
        }
        Date iat = claims.getIssueTime();
        Instant serverExp = exp.toInstant();
        // iat is the server's "now" when it issued the token; without it, trust expires_in and assume no skew.
        Instant serverNow = iat != null ? iat.toInstant() : serverExp.minusSeconds(grant.expiresIn());
        Duration lifetime = Duration.between(serverNow, serverExp);
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw unreadable("the access token has no lifetime (exp is not after iat)", null);
        }
        Duration skew = iat != null ? Duration.between(sentAt, serverNow) : Duration.ZERO;
        String name;
        try {
            name = claims.getStringClaim("name");
        } catch (ParseException e) {
            name = null;
        }
        return new AccessToken(grant.accessToken(), sub, name == null || name.isEmpty() ? sub : name,
                serverExp.minus(skew), lifetime, skew);
    }

    private static TokenEndpointException unreadable(String message, Throwable cause) {
        return new TokenEndpointException(TokenEndpointException.Kind.TRANSIENT, 200, null, message, cause);
    }
}
