package dev.quire.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.quire.session.TokenEndpointException;
import dev.quire.session.TokenEndpointException.Kind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How the token endpoint's answers are classified, which decides between "retry" and "sign out": the status and body
 * a real token endpoint or a proxy in front of it may give, and no answer at all.
 */
class HttpTokenEndpointTest {
    private static final String JSON = "application/json";
    private final HttpClient http = HttpClient.newHttpClient();

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "503 | {\"error\":\"unavailable\"}                  | TRANSIENT | unavailable",
        "500 | oops                                          | TRANSIENT |",
        "502 | <html>bad gateway</html>                      | TRANSIENT |",
        "429 | {\"error\":\"slow_down\"}                     | TRANSIENT | slow_down",
        "408 | ''                                            | TRANSIENT |",
        "400 | {\"error\":\"invalid_grant\"}                 | REJECTED  | invalid_grant",
        "401 | {\"error\":\"invalid_client\"}                | REJECTED  | invalid_client",
        "403 | <html>forbidden</html>                        | REJECTED  |",
        "200 | <html>captive portal</html>                   | TRANSIENT |",
        "200 | {\"access_token\":\"a\",\"token_type\":\"Bearer\"} | TRANSIENT |",
    })
    void answersAreClassified(int status, String body, Kind kind, String error) {
        try (StubHttp stub = new StubHttp(status, JSON, body)) {
            TokenEndpointException e = failure(endpoint(stub.url("/auth/token"), Duration.ofSeconds(5))
                    .refresh("qrt_secret_refresh_token"));
            assertEquals(kind, e.kind());
            assertEquals(status, e.status());
            assertEquals(error, e.error());
            assertFalse(e.getMessage().contains("qrt_secret_refresh_token"));
        }
    }

    @Test
    void aGoodAnswerIsAGrant() throws Exception {
        try (StubHttp stub = new StubHttp(200, JSON, "{\"access_token\":\"a.b.c\",\"token_type\":\"bearer\","
                + "\"expires_in\":900,\"refresh_token\":\"qrt_next\"}")) {
            var grant = endpoint(stub.url("/auth/token"), Duration.ofSeconds(5)).password("alice", "pw".toCharArray())
                    .get(10, TimeUnit.SECONDS);
            assertEquals("a.b.c", grant.accessToken());
            assertEquals("qrt_next", grant.refreshToken());
            assertEquals(900, grant.expiresIn());
        }
    }

    @Test
    void noServerListeningIsTransient() {
        TokenEndpointException e = failure(endpoint(StubHttp.closedPort("/auth/token"), Duration.ofSeconds(5))
                .refresh("qrt_x"));
        assertEquals(Kind.TRANSIENT, e.kind());
        assertEquals(0, e.status());
        assertNull(e.error());
    }

    @Test
    void aServerThatGoesSilentTimesOutAsTransient() {
        try (StubHttp stub = new StubHttp(200, JSON, "{}")) {
            stub.stall();
            TokenEndpointException e = failure(endpoint(stub.url("/auth/token"), Duration.ofMillis(300))
                    .refresh("qrt_x"));
            assertEquals(Kind.TRANSIENT, e.kind());
            assertInstanceOf(HttpTimeoutException.class, e.getCause());
        }
    }

    @Test
    void revocationFailsWhenTheServerDoesNotConfirm() {
        try (StubHttp stub = new StubHttp(503, JSON, "{}")) {
            HttpTokenEndpoint ep = new HttpTokenEndpoint(http, stub.url("/auth/token"), stub.url("/auth/revoke"),
                    Duration.ofSeconds(5));
            assertEquals(Kind.TRANSIENT, failure(ep.revoke("qrt_x")).kind());
            stub.answer(200, null, "");
            ep.revoke("qrt_x").join();
        }
    }

    private HttpTokenEndpoint endpoint(URI token, Duration timeout) {
        return new HttpTokenEndpoint(http, token, token.resolve("/auth/revoke"), timeout);
    }

    private static TokenEndpointException failure(CompletableFuture<?> f) {
        try {
            Object v = f.get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + v);
        } catch (ExecutionException e) {
            return assertInstanceOf(TokenEndpointException.class, e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
