package dev.quire.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refresh tokens over HTTP (issue 5 "Accounts and tokens"): each is single use and rotates; presenting a used one
 * is refused and revokes its whole family, so the thief's and the owner's newest token both stop working;
 * {@code POST /auth/revoke} logs out. Answers follow RFC 6749 §5.1/§5.2, never cached.
 */
class RefreshRotationTest {
    @TempDir
    static Path dir;
    static ServerFixture f;

    @BeforeAll
    static void start() {
        f = new ServerFixture(dir);
        f.addUser("alice", "alice-password-1");
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void passwordGrantAnswersAsRfc6749Section5_1() {
        HttpResponse<String> r = f.passwordGrant("alice", "alice-password-1");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
        JsonNode b = ServerFixture.body(r);
        assertEquals("Bearer", b.get("token_type").asText());
        assertEquals(15 * 60, b.get("expires_in").asLong());
        assertTrue(b.get("access_token").asText().split("\\.").length == 3, "a JWS compact serialization");
        assertTrue(b.get("refresh_token").asText().length() >= 32);
    }

    @Test
    void refreshGivesANewPairAndReusingTheOldOneRevokesTheFamily() {
        ServerFixture.Tokens login = f.login("alice", "alice-password-1");
        ServerFixture.Tokens second = f.refresh(login.refresh());
        assertNotEquals(login.refresh(), second.refresh());
        assertNotEquals(login.access(), second.access());
        ServerFixture.Tokens third = f.refresh(second.refresh());

        // the first refresh token again: reuse, as a thief replaying a stolen token would
        assertInvalidGrant(f.refreshGrant(login.refresh()));
        // the family is revoked: the newest token, never used, fails too
        assertInvalidGrant(f.refreshGrant(third.refresh()));
        // other logins (other families) are untouched
        ServerFixture.Tokens other = f.login("alice", "alice-password-1");
        f.refresh(other.refresh());
    }

    @Test
    void revokeLogsOut() {
        ServerFixture.Tokens login = f.login("alice", "alice-password-1");
        HttpResponse<String> r = f.form("/auth/revoke", Map.of("token", login.refresh()));
        assertEquals(200, r.statusCode());
        assertInvalidGrant(f.refreshGrant(login.refresh()));
        // RFC 7009 §2.2: an unknown token gets the same 200, so revoke cannot probe tokens
        assertEquals(200, f.form("/auth/revoke", Map.of("token", "no-such-token")).statusCode());
    }

    @Test
    void badGrantsAnswerAsRfc6749Section5_2() {
        for (HttpResponse<String> r : List.of(f.passwordGrant("alice", "wrong-password"),
                f.passwordGrant("nobody", "whatever-pass"), f.refreshGrant("made-up"))) {
            assertInvalidGrant(r);
        }
        HttpResponse<String> unsupported = f.form("/auth/token", Map.of("grant_type", "client_credentials"));
        assertEquals(400, unsupported.statusCode());
        assertEquals("unsupported_grant_type", ServerFixture.body(unsupported).get("error").asText());
        HttpResponse<String> missing = f.form("/auth/token", Map.of("grant_type", "password"));
        assertEquals(400, missing.statusCode());
        assertEquals("invalid_request", ServerFixture.body(missing).get("error").asText());
    }

    private static void assertInvalidGrant(HttpResponse<String> r) {
        assertEquals(400, r.statusCode(), r::body);
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
        JsonNode b = ServerFixture.body(r);
        assertEquals("invalid_grant", b.get("error").asText());
        assertTrue(b.has("error_description"));
    }
}
