package dev.quire.engine;

import static dev.quire.engine.EngineFixture.awaitState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.sync.ConnectionState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 6: presence (awareness) is sent on connect and on change, stamped by the server, and cleared on close. */
class PresenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Well under the 15 s after which a state is renewed anyway: presence must travel when it changes. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void eachWindowSeesTheOthersCursorsWithTheServerKnownUserUntilTheyCloseOrTheLinkDrops() throws Exception {
        try (EngineFixture fx = new EngineFixture(dir, Clock.systemUTC(), Duration.ofMinutes(15))) {
            String docId = fx.createDocument("alice", "presence");
            fx.share("alice", docId, "bob", "writer");
            Account alice = fx.signIn(fx.engine("alice-laptop"), "alice");
            Account bob = fx.signIn(fx.engine("bob-laptop"), "bob");
            OpenDocument a = alice.open(docId);
            a.setPresence("{\"cursor\":3,\"user\":{\"name\":\"Mallory\",\"color\":\"#f00\"}}"); // before connecting
            OpenDocument b = bob.open(docId);
            awaitState(a, ConnectionState.CONNECTED);
            awaitState(b, ConnectionState.CONNECTED);

            EngineFixture.await(PROMPTLY, "bob to see alice", () -> b.presence().size() == 1);
            JsonNode seen = JSON.readTree(b.presence().values().iterator().next());
            assertEquals(3, seen.get("cursor").asInt());
            assertEquals("alice", seen.get("user").get("name").asText(), "the server's name, not the claimed one");
            assertEquals(alice.userId(), seen.get("user").get("id").asText());
            assertEquals("#f00", seen.get("user").get("color").asText());
            assertEquals(a.doc().clientId(), b.presence().keySet().iterator().next());

            a.setPresence("{\"cursor\":7}"); // a change goes out at once
            EngineFixture.await(PROMPTLY, "bob to see the move", () -> b.presence().values().stream()
                    .anyMatch(s -> s.contains("\"cursor\":7")));

            b.setPresence("{\"cursor\":0}");
            EngineFixture.await(PROMPTLY, "alice to see bob", () -> a.presence().size() == 1);
            fx.syncProxy.refuse(true); // both links drop: each stops showing the other
            awaitState(a, ConnectionState.RECONNECTING);
            assertTrue(a.presence().isEmpty(), "no stale cursors while offline: " + a.presence());
            fx.syncProxy.refuse(false);
            EngineFixture.await(PROMPTLY, "presence to come back after the reconnect", () -> a.presence().size() == 1
                    && b.presence().size() == 1);

            a.close(); // closing the window clears its cursor for the others
            EngineFixture.await(PROMPTLY, "alice's cursor to go", () -> b.presence().isEmpty());
            assertEquals(Map.of(), b.presence());
        }
    }
}
