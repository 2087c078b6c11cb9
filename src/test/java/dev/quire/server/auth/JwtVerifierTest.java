package dev.quire.server.auth;

import dev.quire.testing.TestClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Every way a token is refused, with its code, and the few ways it is let in. */
class JwtVerifierTest {
    private static final String ISS = "https://quire.test";
    private static final String AUD = "quire";
    private static final Duration TTL = Duration.ofMinutes(15);

    @TempDir
    Path dir;
    private final TestClock clock = TestClock.at("2026-11-23T10:00:00Z");
    private final SecureRandom random = new SecureRandom();
    private KeyRing keys;
    private FileUserDirectory users;
    private TokenIssuer issuer;
    private JwtVerifier verifier;
    private User alice;

    @BeforeEach
    void setUp() {
        keys = KeyRing.open(dir.resolve("keys.json"), TTL, clock, random);
        users = new FileUserDirectory(dir.resolve("users"), random);
        alice = users.add("alice", new PasswordHasher(1000, random).hash("pw".toCharArray()));
        issuer = new TokenIssuer(keys, ISS, AUD, TTL, clock, random);
        verifier = JwtVerifier.forKeyRing(keys, ISS, AUD, users, clock);
    }

    /** Claims as the issuer writes them, changed by {@code edit}, signed with the ring's current key. */
    private String token(Consumer<JWTClaimsSet.Builder> edit) throws Exception {
        return sign(keys.signingKey(), keys.signingKey().getKeyID(), edit);
    }

    private String sign(ECKey key, String kid, Consumer<JWTClaimsSet.Builder> edit) throws Exception {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISS).audience(AUD).subject(alice.id())
                .claim("name", "alice").issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(TTL))).jwtID("j1");
        edit.accept(claims);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(), claims.build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private static void refused(AuthError code, String token, Executable verify) {
        AuthException e = assertThrows(AuthException.class, verify);
        assertEquals(code, e.code(), e.getMessage());
        if (token != null && token.length() > 10) {
            assertFalse(e.getMessage().contains(token), "the message must not quote the token");
            String[] parts = token.split("\\.");
            for (String p : parts) {
                assertTrue(p.length() < 8 || !e.getMessage().contains(p), "the message must not quote a token part");
            }
        }
    }

    private void refused(AuthError code, String token) {
        refused(code, token, () -> verifier.verify(token));
    }

    // ---- accepted ----

    @Test
    void anIssuedTokenVerifiesToItsUser() {
        AccessToken t = issuer.issue(alice);
        Principal p = verifier.verify(t.value());
        assertEquals(new Principal(alice.id(), "alice", clock.instant().plus(TTL)), p);
        assertEquals(t.expiresAt(), p.expiresAt());
        assertFalse(t.toString().contains(t.value()));
    }

    @Test
    void theIssuedTokenHasTheAgreedHeaderAndClaims() throws Exception {
        SignedJWT jwt = SignedJWT.parse(issuer.issue(alice).value());
        assertEquals(JWSAlgorithm.ES256, jwt.getHeader().getAlgorithm());
        assertEquals(keys.currentKeyId(), jwt.getHeader().getKeyID());
        assertEquals("JWT", jwt.getHeader().getType().getType());
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        assertEquals(ISS, c.getIssuer());
        assertEquals(List.of(AUD), c.getAudience());
        assertEquals(alice.id(), c.getSubject());
        assertEquals("alice", c.getStringClaim("name"));
        assertEquals(clock.instant(), c.getIssueTime().toInstant());
        assertEquals(clock.instant(), c.getNotBeforeTime().toInstant());
        assertEquals(clock.instant().plus(TTL), c.getExpirationTime().toInstant());
        assertNotEquals(c.getJWTID(), SignedJWT.parse(issuer.issue(alice).value()).getJWTClaimsSet().getJWTID());
    }

    @Test
    void theNameComesFromTheDirectoryNotTheToken() throws Exception {
        assertEquals("alice", verifier.verify(token(c -> c.claim("name", "mallory"))).name());
    }

    @Test
    void anAudienceListContainingOursIsAccepted() throws Exception {
        assertEquals(alice.id(), verifier.verify(token(c -> c.audience(List.of("other", AUD)))).userId());
    }

    // ---- refused ----

    @Test
    void missingTokenIsAuthRequired() {
        refused(AuthError.AUTH_REQUIRED, null);
        refused(AuthError.AUTH_REQUIRED, "");
        refused(AuthError.AUTH_REQUIRED, "   ");
    }

    @Test
    void garbageIsInvalid() {
        refused(AuthError.TOKEN_INVALID, "not-a-jwt");
        refused(AuthError.TOKEN_INVALID, "a.b.c");
        refused(AuthError.TOKEN_INVALID, "x".repeat(JwtVerifier.MAX_TOKEN_LENGTH + 1));
    }

    @Test
    void aWrongSignatureIsInvalid() throws Exception {
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();
        // Signed by another key that claims our kid.
        refused(AuthError.TOKEN_INVALID, sign(other, keys.currentKeyId(), c -> { }));
        // Our signature over other claims: the payload was changed after signing.
        String good = issuer.issue(alice).value();
        String[] p = good.split("\\.");
        String forged = token(c -> c.subject("u_somebodyelse"));
        refused(AuthError.TOKEN_INVALID, p[0] + "." + forged.split("\\.")[1] + "." + p[2]);
    }

    @Test
    void algNoneIsInvalid() throws Exception {
        PlainJWT plain = new PlainJWT(new JWTClaimsSet.Builder().issuer(ISS).audience(AUD).subject(alice.id())
                .expirationTime(Date.from(clock.instant().plus(TTL))).build());
        refused(AuthError.TOKEN_INVALID, plain.serialize());
        // And "none" in a header with a (meaningless) signature part.
        String[] good = issuer.issue(alice).value().split("\\.");
        String noneHeader = b64("{\"alg\":\"none\",\"kid\":\"" + keys.currentKeyId() + "\"}");
        refused(AuthError.TOKEN_INVALID, noneHeader + "." + good[1] + ".");
        refused(AuthError.TOKEN_INVALID, noneHeader + "." + good[1] + "." + good[2]);
    }

    @Test
    void hs256SignedWithThePublicKeyIsInvalid() throws Exception {
        // The algorithm-confusion attack: use the published public key as an HMAC secret.
        ECKey pub = keys.signingKey().toPublicJWK();
        List<byte[]> secrets = List.of(pub.toECPublicKey().getEncoded(),
                pub.toJSONString().getBytes(StandardCharsets.UTF_8), keys.publicJwks().getBytes(StandardCharsets.UTF_8));
        for (byte[] secret : secrets) {
            JWSSigner hmac = new MACSigner(secret);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keys.currentKeyId()).build(),
                    SignedJWT.parse(issuer.issue(alice).value()).getJWTClaimsSet());
            jwt.sign(hmac);
            refused(AuthError.TOKEN_INVALID, jwt.serialize());
        }
    }

    @Test
    void anUnknownOrMissingKidIsInvalid() throws Exception {
        refused(AuthError.TOKEN_INVALID, sign(keys.signingKey(), "no-such-kid", c -> { }));
        SignedJWT noKid = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).build(),
                SignedJWT.parse(issuer.issue(alice).value()).getJWTClaimsSet());
        noKid.sign(new ECDSASigner(keys.signingKey()));
        refused(AuthError.TOKEN_INVALID, noKid.serialize());
    }

    @Test
    void wrongIssuerOrAudienceIsInvalid() throws Exception {
        refused(AuthError.TOKEN_INVALID, token(c -> c.issuer("https://evil.test")));
        refused(AuthError.TOKEN_INVALID, token(c -> c.issuer(null)));
        refused(AuthError.TOKEN_INVALID, token(c -> c.issuer(ISS + "/")));
        refused(AuthError.TOKEN_INVALID, token(c -> c.audience("other")));
        refused(AuthError.TOKEN_INVALID, token(c -> c.audience((String) null)));
    }

    @Test
    void aTokenWithoutSubjectOrExpiryIsInvalid() throws Exception {
        refused(AuthError.TOKEN_INVALID, token(c -> c.subject(null)));
        refused(AuthError.TOKEN_INVALID, token(c -> c.expirationTime(null)));
    }

    @Test
    void anExpiredTokenIsExpiredAfterTheLeeway() {
        String t = issuer.issue(alice).value();
        clock.advance(TTL.plus(Duration.ofSeconds(60)));
        assertEquals(alice.id(), verifier.verify(t).userId(), "60 s after exp: still inside the leeway");
        clock.advance(Duration.ofMillis(1));
        refused(AuthError.TOKEN_EXPIRED, t);
        clock.advance(Duration.ofDays(1));
        refused(AuthError.TOKEN_EXPIRED, t);
    }

    @Test
    void theLeewayIsConfigurableButNeverMoreThanAMinute() {
        JwtVerifier strict = verifier.withLeeway(Duration.ZERO);
        String t = issuer.issue(alice).value();
        clock.advance(TTL);
        assertEquals(alice.id(), strict.verify(t).userId(), "exactly at exp");
        clock.advance(Duration.ofMillis(1));
        refused(AuthError.TOKEN_EXPIRED, t, () -> strict.verify(t));
        assertThrows(IllegalArgumentException.class, () -> verifier.withLeeway(Duration.ofSeconds(61)));
        assertThrows(IllegalArgumentException.class, () -> verifier.withLeeway(Duration.ofSeconds(-1)));
    }

    @Test
    void aTokenAcceptedInsideTheLeewayCarriesAnExpiryInTheFuture() {
        String t = issuer.issue(alice).value();
        clock.advance(TTL.plusSeconds(30));
        JwtVerifier.Verified v = verifier.verifyDetailed(t);
        assertFalse(v.graced());
        assertEquals(clock.instant().minusSeconds(30), v.tokenExpiresAt());
        assertEquals(v.tokenExpiresAt().plusSeconds(60), v.principal().expiresAt());
    }

    @Test
    void aTokenNotYetValidIsInvalidBeyondTheLeeway() throws Exception {
        Instant now = clock.instant();
        assertEquals(alice.id(), verifier.verify(token(c -> c.notBeforeTime(Date.from(now.plusSeconds(60)))))
                .userId());
        refused(AuthError.TOKEN_INVALID, token(c -> c.notBeforeTime(Date.from(now.plusSeconds(61)))));
        refused(AuthError.TOKEN_INVALID, token(c -> c.issueTime(Date.from(now.plusSeconds(61)))));
    }

    @Test
    void aDeletedOrDisabledUserIsNotFound() {
        String t = issuer.issue(alice).value();
        users.disable(alice.id());
        refused(AuthError.USER_NOT_FOUND, t);
        users.setDisabled(alice.id(), false);
        assertEquals(alice.id(), verifier.verify(t).userId());
        users.delete(alice.id());
        refused(AuthError.USER_NOT_FOUND, t);
    }

    @Test
    void theExpiredGraceAcceptsRecentlyExpiredTokensAndSaysSo() {
        JwtVerifier lenient = verifier.withExpiredGrace(Duration.ofMinutes(5));
        String t = issuer.issue(alice).value();
        Instant exp = clock.instant().plus(TTL);
        clock.advance(TTL.plusSeconds(30));
        assertFalse(lenient.verifyDetailed(t).graced(), "inside the leeway is not grace");
        clock.advance(Duration.ofMinutes(3));
        JwtVerifier.Verified v = lenient.verifyDetailed(t);
        assertTrue(v.graced());
        assertEquals(exp, v.tokenExpiresAt());
        assertEquals(exp.plus(Duration.ofMinutes(5)), v.principal().expiresAt());
        refused(AuthError.TOKEN_EXPIRED, t, () -> verifier.verify(t)); // without grace: refused
        clock.set(exp.plus(Duration.ofMinutes(5)).plusMillis(1));
        refused(AuthError.TOKEN_EXPIRED, t, () -> lenient.verify(t));
    }

    // ---- key rotation ----

    @Test
    void aRotatedKeyKeepsVerifyingItsTokensUntilItIsPruned() {
        String before = issuer.issue(alice).value();
        keys.rotate();
        String after = issuer.issue(alice).value();
        assertEquals(alice.id(), verifier.verify(before).userId());
        assertEquals(alice.id(), verifier.verify(after).userId());
        JwtVerifier lenient = verifier.withLeeway(Duration.ZERO).withExpiredGrace(Duration.ofDays(365));
        clock.advance(TTL.plus(JwtVerifier.MAX_LEEWAY).minusSeconds(1));
        assertTrue(lenient.verifyDetailed(before).graced());
        clock.advance(Duration.ofSeconds(1));
        // The old key is gone: the token is now refused for its key, even by a verifier that would accept its age.
        refused(AuthError.TOKEN_INVALID, before, () -> lenient.verify(before));
    }

    private static String b64(String json) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
