package dev.quire.server.auth;

import dev.quire.testing.TestClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.server.storage.H2DocumentStore;
import dev.quire.server.storage.H2Storage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Logins, refresh token rotation, reuse detection and revocation, against a real H2 file. */
class TokenServiceTest {
    private static final String ISS = "https://quire.test";
    private static final Duration ACCESS_TTL = Duration.ofMinutes(15);
    private static final Duration REFRESH_TTL = Duration.ofDays(30);

    @TempDir
    Path dir;
    private final TestClock clock = TestClock.at("2026-11-23T10:00:00Z");
    private final SecureRandom random = new SecureRandom();
    private final PasswordHasher hasher = new PasswordHasher(1000, random);
    private H2Storage storage;
    private FileUserDirectory users;
    private JwtVerifier verifier;
    private TokenService service;
    private User alice;

    @BeforeEach
    void setUp() {
        storage = H2Storage.open(dir.resolve("data"), H2DocumentStore.Options.defaults().withClock(clock));
        users = new FileUserDirectory(dir.resolve("users"), random);
        alice = users.add("alice", hasher.hash("alice-pw".toCharArray()));
        KeyRing keys = KeyRing.open(dir.resolve("keys.json"), ACCESS_TTL, clock, random);
        TokenIssuer issuer = new TokenIssuer(keys, ISS, "quire", ACCESS_TTL, clock, random);
        verifier = JwtVerifier.forKeyRing(keys, ISS, "quire", users, clock);
        service = new TokenService(users, hasher, issuer, storage.refreshTokens(), REFRESH_TTL, clock, random);
    }

    @AfterEach
    void tearDown() {
        storage.close();
    }

    private TokenResponse login() {
        return service.passwordGrant("alice", "alice-pw".toCharArray());
    }

    private static OAuthException fails(String error, OAuthException.Reason reason, Executable call) {
        OAuthException e = assertThrows(OAuthException.class, call);
        assertEquals(error, e.error(), e.toString());
        assertEquals(reason, e.reason(), e.toString());
        return e;
    }

    @Test
    void aPasswordLoginGivesAVerifiableAccessTokenAndARefreshToken() {
        TokenResponse r = login();
        assertEquals("Bearer", r.tokenType());
        assertEquals(ACCESS_TTL.toSeconds(), r.expiresIn());
        assertEquals(alice.id(), r.userId());
        assertEquals(new Principal(alice.id(), "alice", clock.instant().plus(ACCESS_TTL)),
                verifier.verify(r.accessToken()));
        assertTrue(r.refreshToken().matches("qrt_[A-Za-z0-9_-]{43}"), "256 random bits");
        assertFalse(r.toString().contains(r.accessToken()));
        assertFalse(r.toString().contains(r.refreshToken()));
    }

    @Test
    void wrongPasswordUnknownUserAndDisabledUserLookTheSame() {
        OAuthException wrong = fails("invalid_grant", OAuthException.Reason.BAD_CREDENTIALS,
                () -> service.passwordGrant("alice", "nope".toCharArray()));
        OAuthException unknown = fails("invalid_grant", OAuthException.Reason.BAD_CREDENTIALS,
                () -> service.passwordGrant("mallory", "nope".toCharArray()));
        users.disable(alice.id());
        OAuthException disabled = fails("invalid_grant", OAuthException.Reason.BAD_CREDENTIALS,
                () -> service.passwordGrant("alice", "alice-pw".toCharArray()));
        assertEquals(wrong.description(), unknown.description());
        assertEquals(wrong.description(), disabled.description());
        assertEquals(400, wrong.httpStatus());
        assertFalse(wrong.getMessage().contains("nope"));
    }

    @Test
    void anUnknownUserTakesAsLongAsAWrongPassword() {
        // A slow hash makes the difference measurable: without the dummy check an unknown user answers in
        // microseconds, a wrong password in tens of milliseconds.
        PasswordHasher slow = new PasswordHasher(100_000, random);
        users.setPasswordHash(alice.id(), slow.hash("alice-pw".toCharArray()));
        TokenService s = new TokenService(users, slow, new TokenIssuer(KeyRing.open(dir.resolve("k2.json"),
                ACCESS_TTL, clock, random), ISS, "quire", ACCESS_TTL, clock, random), storage.refreshTokens(),
                REFRESH_TTL, clock, random);
        long wrong = Long.MAX_VALUE;
        long unknown = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            wrong = Math.min(wrong, nanos(() -> s.passwordGrant("alice", "nope".toCharArray())));
            unknown = Math.min(unknown, nanos(() -> s.passwordGrant("nobody", "nope".toCharArray())));
        }
        assertTrue(unknown > wrong / 2 && unknown < wrong * 2, "wrong " + wrong + " ns, unknown " + unknown + " ns");
    }

    private static long nanos(Executable call) {
        long start = System.nanoTime();
        assertThrows(OAuthException.class, call);
        return System.nanoTime() - start;
    }

    @Test
    void aRefreshRotatesTheTokenAndKeepsTheUser() {
        TokenResponse first = login();
        clock.advance(Duration.ofMinutes(10));
        TokenResponse second = service.refreshGrant(first.refreshToken());
        assertNotEquals(first.refreshToken(), second.refreshToken());
        assertEquals(alice.id(), verifier.verify(second.accessToken()).userId());
        assertEquals(clock.instant().plus(ACCESS_TTL), verifier.verify(second.accessToken()).expiresAt());
        TokenResponse third = service.refreshGrant(second.refreshToken());
        assertEquals(alice.id(), third.userId());
    }

    @Test
    void reusingAUsedRefreshTokenRevokesTheWholeFamily() {
        TokenResponse first = login();
        TokenResponse second = service.refreshGrant(first.refreshToken());
        // An attacker (or the victim) presents the old token again.
        fails("invalid_grant", OAuthException.Reason.REFRESH_REUSED, () -> service.refreshGrant(first.refreshToken()));
        // The live token of the family is now worthless too.
        fails("invalid_grant", OAuthException.Reason.REFRESH_REVOKED,
                () -> service.refreshGrant(second.refreshToken()));
        // Another login (another family) is unaffected.
        TokenResponse other = login();
        assertEquals(alice.id(), service.refreshGrant(other.refreshToken()).userId());
    }

    @Test
    void twoConcurrentRefreshesWithOneTokenLetExactlyOneWinAndRevokeTheFamily() throws Exception {
        for (int round = 0; round < 5; round++) {
            TokenResponse login = login();
            int n = 8;
            CountDownLatch start = new CountDownLatch(1);
            List<OAuthException.Reason> reasons = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(n);
            try {
                List<Future<TokenResponse>> results = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Callable<TokenResponse> call = () -> {
                        start.await();
                        try {
                            return service.refreshGrant(login.refreshToken());
                        } catch (OAuthException e) {
                            // The first loser detects the reuse and revokes; later ones find the family revoked.
                            reasons.add(e.reason());
                            return null;
                        }
                    };
                    results.add(pool.submit(call));
                }
                start.countDown();
                List<TokenResponse> winners = new ArrayList<>();
                for (Future<TokenResponse> f : results) {
                    TokenResponse r = f.get(30, TimeUnit.SECONDS);
                    if (r != null) {
                        winners.add(r);
                    }
                }
                assertEquals(1, winners.size(), "exactly one refresh wins");
                assertEquals(n - 1, reasons.size());
                assertTrue(reasons.contains(OAuthException.Reason.REFRESH_REUSED), reasons.toString());
                assertTrue(reasons.stream().allMatch(r -> r == OAuthException.Reason.REFRESH_REUSED
                        || r == OAuthException.Reason.REFRESH_REVOKED), reasons.toString());
                fails("invalid_grant", OAuthException.Reason.REFRESH_REVOKED,
                        () -> service.refreshGrant(winners.get(0).refreshToken()));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void revokeLogsOutTheFamilyAndIgnoresUnknownTokens() {
        TokenResponse r = login();
        TokenResponse next = service.refreshGrant(r.refreshToken());
        assertTrue(service.revoke(r.refreshToken()), "any token of the family revokes it");
        fails("invalid_grant", OAuthException.Reason.REFRESH_REVOKED, () -> service.refreshGrant(next.refreshToken()));
        assertFalse(service.revoke("qrt_" + "A".repeat(43)));
        assertFalse(service.revoke("garbage"));
        assertFalse(service.revoke(null));
        assertFalse(service.revoke(r.accessToken()));
    }

    @Test
    void aFamilyExpiresRefreshTtlAfterTheLoginHoweverOftenItRotates() {
        TokenResponse r = login();
        for (int day = 0; day < 29; day++) {
            clock.advance(Duration.ofDays(1));
            r = service.refreshGrant(r.refreshToken());
        }
        clock.advance(Duration.ofDays(1)); // 30 days after the login
        String last = r.refreshToken();
        fails("invalid_grant", OAuthException.Reason.REFRESH_EXPIRED, () -> service.refreshGrant(last));
        assertEquals(1, service.pruneExpired());
        fails("invalid_grant", OAuthException.Reason.REFRESH_UNKNOWN, () -> service.refreshGrant(last));
    }

    @Test
    void aRefreshForADeletedOrDisabledUserFails() {
        TokenResponse r = login();
        users.disable(alice.id());
        fails("invalid_grant", OAuthException.Reason.USER_GONE, () -> service.refreshGrant(r.refreshToken()));
        users.setDisabled(alice.id(), true);
        TokenResponse r2 = loginAfterEnable();
        users.delete(alice.id());
        fails("invalid_grant", OAuthException.Reason.USER_GONE, () -> service.refreshGrant(r2.refreshToken()));
    }

    private TokenResponse loginAfterEnable() {
        users.setDisabled(alice.id(), false);
        return login();
    }

    @Test
    void revokeAllOfAUserEndsEveryLogin() {
        TokenResponse a = login();
        TokenResponse b = login();
        assertEquals(2, service.revokeAllOf(alice.id()));
        fails("invalid_grant", OAuthException.Reason.REFRESH_REVOKED, () -> service.refreshGrant(a.refreshToken()));
        fails("invalid_grant", OAuthException.Reason.REFRESH_REVOKED, () -> service.refreshGrant(b.refreshToken()));
    }

    @Test
    void theFormDispatchesOnGrantTypeWithRfc6749Errors() {
        assertEquals(alice.id(), service.token(Map.of("grant_type", "password", "username", "alice",
                "password", "alice-pw")).userId());
        fails("invalid_request", OAuthException.Reason.MALFORMED_REQUEST, () -> service.token(Map.of()));
        fails("invalid_request", OAuthException.Reason.MALFORMED_REQUEST,
                () -> service.token(Map.of("grant_type", "password", "username", "alice")));
        fails("invalid_request", OAuthException.Reason.MALFORMED_REQUEST,
                () -> service.token(Map.of("grant_type", "refresh_token")));
        OAuthException e = fails("unsupported_grant_type", OAuthException.Reason.UNSUPPORTED_GRANT_TYPE,
                () -> service.token(Map.of("grant_type", "client_credentials")));
        assertEquals(400, e.httpStatus());
        fails("invalid_grant", OAuthException.Reason.REFRESH_UNKNOWN,
                () -> service.token(Map.of("grant_type", "refresh_token", "refresh_token", "qrt_short")));
    }

    @Test
    void onlyHashesOfRefreshTokensReachTheDatabaseFile() throws Exception {
        TokenResponse r = login();
        TokenResponse next = service.refreshGrant(r.refreshToken());
        storage.close();
        byte[] file = Files.readAllBytes(dir.resolve("data").resolve("quire.mv.db"));
        String content = new String(file, StandardCharsets.ISO_8859_1);
        assertFalse(content.contains(r.refreshToken().substring(4)));
        assertFalse(content.contains(next.refreshToken().substring(4)));
        assertTrue(content.contains(TokenService.hash(next.refreshToken())), "the hash is what is stored");
        storage = H2Storage.open(dir.resolve("data"), H2DocumentStore.Options.defaults().withClock(clock));
    }

    @Test
    void familiesSurviveARestart() {
        TokenResponse r = login();
        storage.close();
        storage = H2Storage.open(dir.resolve("data"), H2DocumentStore.Options.defaults().withClock(clock));
        TokenService reopened = new TokenService(users, hasher, new TokenIssuer(KeyRing.open(dir.resolve("keys.json"),
                ACCESS_TTL, clock, random), ISS, "quire", ACCESS_TTL, clock, random), storage.refreshTokens(),
                REFRESH_TTL, clock, random);
        assertEquals(alice.id(), reopened.refreshGrant(r.refreshToken()).userId());
    }
}
