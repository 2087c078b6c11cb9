package dev.quire.server.sync;

import dev.quire.testing.TestClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.server.auth.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure parts: request parsing, the rate limiter, the awareness stamp. */
class UnitTest {
    private static final Principal BOB = new Principal("u_bob", "Bob", Instant.MAX);

    @Test
    void anotherUsersClientIdIsAPolicyRefusalWhileBadBytesAreInvalidPayload() {
        assertEquals(new Room.Refusal(1008, "FORBIDDEN"),
                Room.Refusal.of(new dev.quire.server.storage.ClientIdTakenException("d", 42)));
        assertEquals(new Room.Refusal(1007, "INVALID_UPDATE"),
                Room.Refusal.of(new dev.quire.server.storage.InvalidUpdateException("d", 3, new IllegalStateException("truncated"))));
    }

    @Test
    void connectRequestReadsTheDocumentAndTheCredential() {
        ConnectRequest r = ConnectRequest.parse("/sync/doc%2B1?ticket=a%2Bb", null).orElseThrow();
        assertEquals("doc+1", r.docId());
        assertEquals(new ConnectRequest.Ticket("a+b"), r.credential());
        assertEquals(new ConnectRequest.Bearer("t"),
                ConnectRequest.parse("/sync/d", "bearer t").orElseThrow().credential(), "scheme is case-insensitive");
        assertEquals(new ConnectRequest.Bearer("t"),
                ConnectRequest.parse("/sync/d?ticket=x", "Bearer t").orElseThrow().credential(), "header first");
        assertInstanceOf(ConnectRequest.TokenInUrl.class,
                ConnectRequest.parse("/sync/d?access_token=t", "Bearer t").orElseThrow().credential());
        assertInstanceOf(ConnectRequest.UnsupportedScheme.class,
                ConnectRequest.parse("/sync/d", "Basic xyz").orElseThrow().credential());
        assertInstanceOf(ConnectRequest.None.class, ConnectRequest.parse("/sync/d/", "").orElseThrow().credential());
        assertEquals(Optional.empty(), ConnectRequest.parse("/other/d", null));
        assertEquals(Optional.empty(), ConnectRequest.parse("/sync/", null));
        assertEquals(Optional.empty(), ConnectRequest.parse("/sync/a/b", null));
        assertEquals(Optional.empty(), ConnectRequest.parse("/sync/%zz", null));
        assertEquals(Optional.empty(), ConnectRequest.parse("/sync/" + "x".repeat(201), null));
    }

    @Test
    void credentialsNeverShowInToString() {
        assertFalse(new ConnectRequest.Bearer("secret-token").toString().contains("secret"));
        assertFalse(new ConnectRequest.Ticket("secret-ticket").toString().contains("secret"));
        assertFalse(new ConnectRequest("d", new ConnectRequest.Bearer("secret-token")).toString().contains("secret"));
    }

    @Test
    void tokenBucketAllowsTheBurstThenRefillsWithTheClock() {
        TestClock clock = new TestClock(Instant.EPOCH);
        TokenBucket bucket = new TokenBucket(new SyncServerConfig.RateLimit(10, 3), clock);
        assertTrue(bucket.tryTake() && bucket.tryTake() && bucket.tryTake());
        assertFalse(bucket.tryTake());
        clock.advance(Duration.ofMillis(100)); // one token at 10/s
        assertTrue(bucket.tryTake());
        assertFalse(bucket.tryTake());
        clock.advance(Duration.ofHours(1)); // refills to the burst, no more
        assertTrue(bucket.tryTake() && bucket.tryTake() && bucket.tryTake());
        assertFalse(bucket.tryTake());
    }

    @Test
    void awarenessStampReplacesIdAndNameAndKeepsTheRest() throws Exception {
        String stamped = AwarenessUser.stamp(
                "{\"user\":{\"id\":\"u_alice\",\"name\":\"Alice\",\"color\":\"#30bced\"},\"cursor\":{\"x\":1.50}}", BOB)
                .orElseThrow();
        JsonNode state = new ObjectMapper().readTree(stamped);
        assertEquals("u_bob", state.at("/user/id").asText());
        assertEquals("Bob", state.at("/user/name").asText());
        assertEquals("#30bced", state.at("/user/color").asText());
        assertTrue(stamped.contains("1.50"), "numbers keep their digits: " + stamped);
        assertEquals("{\"user\":{\"id\":\"u_bob\",\"name\":\"Bob\"}}", AwarenessUser.stamp("{}", BOB).orElseThrow());
        assertEquals("{\"user\":{\"id\":\"u_bob\",\"name\":\"Bob\"}}",
                AwarenessUser.stamp("{\"user\":\"Alice\"}", BOB).orElseThrow(), "a non-object user is replaced");
        assertEquals(Optional.empty(), AwarenessUser.stamp("[1,2]", BOB));
        assertEquals(Optional.empty(), AwarenessUser.stamp("\"x\"", BOB));
    }
}
