package dev.quire.server;

import dev.quire.testing.SyncTestClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.quire.protocol.AuthOk;
import dev.quire.protocol.SyncStep1;
import dev.quire.server.auth.AuthError;
import dev.quire.server.auth.KeyRing;
import dev.quire.server.auth.TokenIssuer;
import dev.quire.server.auth.User;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a sync connection is refused at connect (issue 5 "Rejection"): the socket is accepted, then closed with
 * 1008 and the error code as the reason, and not one frame reaches the client before the close. The clients ask for
 * Quire's subprotocol, so a refused connection would otherwise at least get an {@code AuthOk}. Bad tokens are made
 * with Nimbus: with keys of our own, and with the server's real signing key (read from {@code DATA/keys.json} through
 * a {@link KeyRing}) for tokens that are well signed but wrong in their claims.
 */
class ConnectRejectionTest {
    @TempDir
    static Path dir;
    static ServerFixture f;
    static User alice;
    static String aliceToken;
    static String bobToken;
    static String aliceDoc;
    static String aliceOtherDoc;
    static String issuer;
    static final SecureRandom random = new SecureRandom();

    @BeforeAll
    static void start() {
        f = new ServerFixture(dir.resolve("data"));
        alice = f.addUser("alice", "alice-password-1");
        f.addUser("bob", "bob-password-1");
        aliceToken = f.login("alice", "alice-password-1").access();
        bobToken = f.login("bob", "bob-password-1").access();
        aliceDoc = f.createDoc(aliceToken, "alice's");
        aliceOtherDoc = f.createDoc(aliceToken, "alice's other");
        issuer = ServerFixture.body(f.get("/.well-known/quire", null)).get("issuer").asText();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void aValidTokenConnects() throws Exception {
        // the control: the same path with a good credential does get frames, so the refusals below can fail
        SyncTestClient c = f.connectWithBearer(aliceDoc, aliceToken, true);
        assertEquals(alice.id(), c.next(AuthOk.class).userId());
        c.next(SyncStep1.class);
        c.closeBlocking();
    }

    @Test
    void missingToken() throws Exception {
        assertRefused(f.connect(aliceDoc, null, Map.of(), true), AuthError.AUTH_REQUIRED);
        assertRefused(f.connect(aliceDoc, null, Map.of(), false), AuthError.AUTH_REQUIRED);
    }

    @Test
    void wrongSignature() throws Exception {
        // the server's kid, but signed with a key of ours
        ECKey ours = new ECKeyGenerator(Curve.P_256).keyID(serverKid()).generate();
        String token = sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(serverKid()).build(), claims(),
                new ECDSASigner(ours));
        assertRefused(f.connectWithBearer(aliceDoc, token, true), AuthError.TOKEN_INVALID);
    }

    @Test
    void algNone() throws Exception {
        String token = new PlainJWT(claims()).serialize();
        assertRefused(f.connectWithBearer(aliceDoc, token, true), AuthError.TOKEN_INVALID);
    }

    @Test
    void hs256SignedWithTheServersPublicKey() throws Exception {
        ECKey published = (ECKey) JWKSet.parse(f.get("/.well-known/jwks.json", null).body()).getKeyByKeyId(serverKid());
        JWSHeader hs256 = new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(serverKid()).build();
        // the algorithm-confusion attack, with the public key as a verifier that forgets the key type would use it:
        // its encoded bytes (X.509 SubjectPublicKeyInfo), and the published JWK's JSON text
        String overEncoded = sign(hs256, claims(), new MACSigner(published.toECPublicKey().getEncoded()));
        String overJwk = sign(hs256, claims(),
                new MACSigner(published.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));
        assertRefused(f.connectWithBearer(aliceDoc, overEncoded, true), AuthError.TOKEN_INVALID);
        assertRefused(f.connectWithBearer(aliceDoc, overJwk, true), AuthError.TOKEN_INVALID);
    }

    @Test
    void unknownKid() throws Exception {
        ECKey ours = new ECKeyGenerator(Curve.P_256).keyID("not-a-server-key").generate();
        String token = sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ours.getKeyID()).build(), claims(),
                new ECDSASigner(ours));
        assertRefused(f.connectWithBearer(aliceDoc, token, true), AuthError.TOKEN_INVALID);
    }

    @Test
    void expired() throws Exception {
        // signed by the server's key, 15-minute token issued an hour ago: past exp by far more than the 60 s leeway
        String token = mint(issuer, ServerConfig.DEFAULT_AUDIENCE, f.clock.instant().minus(Duration.ofHours(1)));
        assertRefused(f.connectWithBearer(aliceDoc, token, true), AuthError.TOKEN_EXPIRED);
    }

    @Test
    void notYetValid() throws Exception {
        String token = mint(issuer, ServerConfig.DEFAULT_AUDIENCE, f.clock.instant().plus(Duration.ofMinutes(10)));
        assertRefused(f.connectWithBearer(aliceDoc, token, true), AuthError.TOKEN_INVALID);
    }

    @Test
    void wrongIssuer() throws Exception {
        String token = mint("https://evil.example", ServerConfig.DEFAULT_AUDIENCE, f.clock.instant());
        assertRefused(f.connectWithBearer(aliceDoc, token, true), AuthError.TOKEN_INVALID);
    }

    @Test
    void wrongAudience() throws Exception {
        String token = mint(issuer, "another-service", f.clock.instant());
        assertRefused(f.connectWithBearer(aliceDoc, token, true), AuthError.TOKEN_INVALID);
    }

    @Test
    void deletedUser() throws Exception {
        User carol = f.addUser("carol", "carol-password-1");
        String token = f.login("carol", "carol-password-1").access();
        String doc = f.createDoc(token, "carol's");
        f.server.users().delete(carol.id());
        assertRefused(f.connectWithBearer(doc, token, true), AuthError.USER_NOT_FOUND);
    }

    @Test
    void disabledUser() throws Exception {
        User dave = f.addUser("dave", "dave-password-1");
        String token = f.login("dave", "dave-password-1").access();
        String doc = f.createDoc(token, "dave's");
        f.server.users().setDisabled(dave.id(), true);
        assertRefused(f.connectWithBearer(doc, token, true), AuthError.USER_NOT_FOUND);
    }

    @Test
    void reusedTicket() throws Exception {
        String ticket = f.ticket(aliceToken, aliceDoc);
        SyncTestClient first = f.connectWithTicket(aliceDoc, ticket, true);
        assertEquals(alice.id(), first.next(AuthOk.class).userId());
        first.closeBlocking();
        assertRefused(f.connectWithTicket(aliceDoc, ticket, true), AuthError.TOKEN_INVALID);
    }

    @Test
    void ticketForAnotherDocument() throws Exception {
        String ticket = f.ticket(aliceToken, aliceDoc);
        assertRefused(f.connectWithTicket(aliceOtherDoc, ticket, true), AuthError.TOKEN_INVALID);
        // and it was consumed by that attempt: it cannot be tried again on its own document
        assertRefused(f.connectWithTicket(aliceDoc, ticket, true), AuthError.TOKEN_INVALID);
    }

    @Test
    void unknownTicket() throws Exception {
        assertRefused(f.connectWithTicket(aliceDoc, "made-up-ticket", true), AuthError.TOKEN_INVALID);
    }

    @Test
    void accessTokenInTheUrl() throws Exception {
        assertRefused(f.connect(aliceDoc, "access_token=" + aliceToken, Map.of(), true), AuthError.TOKEN_INVALID);
        assertRefused(f.connect(aliceDoc, "token=" + aliceToken, Map.of(), true), AuthError.TOKEN_INVALID);
        // refused even next to a good header: the token has already leaked into URL logs
        assertRefused(f.connect(aliceDoc, "access_token=" + aliceToken,
                Map.of("Authorization", "Bearer " + aliceToken), true), AuthError.TOKEN_INVALID);
    }

    @Test
    void noAccessToTheDocument() throws Exception {
        assertRefused(f.connectWithBearer(aliceDoc, bobToken, true), AuthError.FORBIDDEN);
    }

    @Test
    void nonexistentDocument() throws Exception {
        // the same answer as for someone else's document: a stranger learns nothing
        assertRefused(f.connectWithBearer("no-such-doc-" + UUID.randomUUID(), aliceToken, true), AuthError.FORBIDDEN);
    }

    private static void assertRefused(SyncTestClient c, AuthError code) throws Exception {
        SyncTestClient.Closed closed = c.awaitClose();
        assertEquals(1008, closed.code(), () -> "close code; reason " + closed.reason() + " errors " + c.errors);
        assertEquals(code.name(), closed.reason(), "close reason");
        assertEquals(0, closed.framesBefore(), "frames received before the close");
        assertTrue(c.frames().isEmpty(), "frames received at all");
    }

    private static String serverKid() {
        return f.server.keys().orElseThrow().currentKeyId();
    }

    /** Claims that would pass for alice: only the signature or header makes these tokens bad. */
    private static JWTClaimsSet claims() {
        Instant now = f.clock.instant();
        return new JWTClaimsSet.Builder().issuer(issuer).audience(ServerConfig.DEFAULT_AUDIENCE).subject(alice.id())
                .claim("name", alice.name()).issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(15)))).jwtID(UUID.randomUUID().toString())
                .build();
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) throws Exception {
        JWSHeader typed = new JWSHeader.Builder(header).type(JOSEObjectType.JWT).build();
        SignedJWT jwt = new SignedJWT(typed, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    /** A token signed with the server's real current key, issued at {@code at} with the given iss and aud. */
    private static String mint(String iss, String aud, Instant at) {
        Clock then = Clock.fixed(at, ZoneOffset.UTC);
        KeyRing serverKeys = KeyRing.open(dir.resolve("data").resolve("keys.json"), Duration.ofMinutes(15), then,
                random);
        assertEquals(serverKid(), serverKeys.currentKeyId());
        return new TokenIssuer(serverKeys, iss, aud, Duration.ofMinutes(15), then, random).issue(alice).value();
    }
}
