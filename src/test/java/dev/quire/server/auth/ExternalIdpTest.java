package dev.quire.server.auth;

import dev.quire.testing.TestClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens minted by another identity provider, verified with its JWKS (--trust-jwks FILE|URL). */
class ExternalIdpTest {
    private static final String ISS = "https://idp.test/realms/team";
    private static final String AUD = "quire";
    private static RSAKey idpKey;
    private static RSAKey idpKey2;

    @TempDir
    Path dir;
    private final TestClock clock = TestClock.at("2026-11-23T10:00:00Z");
    private FileUserDirectory users;
    private Path jwksFile;

    @BeforeAll
    static void keys() throws Exception {
        idpKey = new RSAKeyGenerator(2048).keyID("idp-1").generate();
        idpKey2 = new RSAKeyGenerator(2048).keyID("idp-2").generate();
    }

    @BeforeEach
    void setUp() throws Exception {
        users = new FileUserDirectory(dir.resolve("users"), new SecureRandom());
        jwksFile = dir.resolve("idp-jwks.json");
        Files.writeString(jwksFile, new JWKSet(idpKey.toPublicJWK()).toString());
    }

    private String token(RSAKey key, String sub, String claim, String name) throws Exception {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISS).audience(AUD).subject(sub)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
        if (claim != null) {
            claims.claim(claim, name);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private JwtVerifier fileVerifier() {
        return JwtVerifier.forTrustedJwks(jwksFile.toString(), ISS, AUD, users, clock);
    }

    @Test
    void aUserUnknownHereIsAdmittedUnderTheIdpsName() throws Exception {
        JwtVerifier v = fileVerifier();
        assertEquals(new Principal("f3a9-uuid", "Dana Q", clock.instant().plus(Duration.ofMinutes(5))),
                v.verify(token(idpKey, "f3a9-uuid", "name", "Dana Q")));
        assertEquals("dana", v.verify(token(idpKey, "auth0|42", "preferred_username", "dana")).name());
        assertEquals("auth0|43", v.verify(token(idpKey, "auth0|43", null, null)).name());
    }

    @Test
    void aUserDisabledInTheDirectoryIsRefused() throws Exception {
        // A directory user whose id is the IdP's sub (the file format allows any id without ':').
        Files.writeString(users.path(), "idp-sub-1:erin:" + new PasswordHasher(1000, new SecureRandom())
                .hash("x".toCharArray()) + ":disabled\n");
        AuthException e = assertThrows(AuthException.class,
                () -> fileVerifier().verify(token(idpKey, "idp-sub-1", "name", "Erin")));
        assertEquals(AuthError.USER_NOT_FOUND, e.code());
    }

    @Test
    void anHmacTokenMadeFromTheIdpsPublicKeyIsRefused() throws Exception {
        JWSSigner hmac = new MACSigner(idpKey.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("idp-1").build(),
                SignedJWT.parse(token(idpKey, "s", null, null)).getJWTClaimsSet());
        jwt.sign(hmac);
        AuthException e = assertThrows(AuthException.class, () -> fileVerifier().verify(jwt.serialize()));
        assertEquals(AuthError.TOKEN_INVALID, e.code());
    }

    @Test
    void aKeyAddedToTheFileIsPickedUpAndAnUnknownOneRefused() throws Exception {
        JwtVerifier v = fileVerifier();
        String second = token(idpKey2, "s2", null, null);
        assertEquals(AuthError.TOKEN_INVALID, assertThrows(AuthException.class, () -> v.verify(second)).code());
        Files.writeString(jwksFile, new JWKSet(java.util.List.of(idpKey.toPublicJWK(), idpKey2.toPublicJWK()))
                .toString());
        assertEquals("s2", v.verify(second).userId());
    }

    @Test
    void wrongIssuerFromTheRightKeyIsRefused() throws Exception {
        JwtVerifier other = JwtVerifier.forTrustedJwks(jwksFile.toString(), "https://idp.test/realms/other", AUD,
                users, clock);
        assertEquals(AuthError.TOKEN_INVALID,
                assertThrows(AuthException.class, () -> other.verify(token(idpKey, "s", null, null))).code());
    }

    @Test
    void keysAreFetchedFromAUrlAndCached() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = new JWKSet(idpKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/jwks", ex -> {
            fetches.incrementAndGet();
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
            JwtVerifier v = JwtVerifier.forTrustedJwks(url, ISS, AUD, users, clock);
            assertEquals("s1", v.verify(token(idpKey, "s1", null, null)).userId());
            assertEquals("s2", v.verify(token(idpKey, "s2", null, null)).userId());
            assertEquals(1, fetches.get(), "the key set is cached");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void plainHttpIsRefusedExceptOnLoopback() {
        assertThrows(IllegalArgumentException.class,
                () -> JwtVerifier.forTrustedJwks("http://idp.example.com/jwks", ISS, AUD, users, clock));
    }
}
