package dev.quire.server;

import dev.quire.testing.StockProvider;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.protocol.AwarenessEntry;
import dev.quire.protocol.AwarenessUpdate;
import dev.quire.protocol.ProtocolCodec;
import dev.quire.server.auth.User;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5: "A stock y-websocket@2.1.0 WebsocketProvider (Node, with ws) connects with a ticket, syncs a document both
 * ways with a Quire client and with another stock client, and sees the right awareness users." Everything is real:
 * the server as {@code ./quire server} wires it, logins over HTTP, tickets, the unmodified provider in Node.
 */
class StockClientInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    @TempDir
    Path logs;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void stockProvidersAndAQuireClientSyncBothWaysAndSeeServerKnownUsers() throws Exception {
        try (QuireServer server = QuireServer.start(ServerConfig.defaults(dir).onFreePorts()
                .withPasswordIterations(1000), Clock.systemUTC())) {
            User alice = server.addUser("alice", "alice-password".toCharArray());
            User bob = server.addUser("bob", "bob-password".toCharArray());
            ServerApi api = new ServerApi(server.httpUrl());
            String aliceToken = api.login("alice", "alice-password");
            String bobToken = api.login("bob", "bob-password");
            String doc = api.createDoc(aliceToken, "Interop");
            api.share(aliceToken, doc, "bob", "writer");

            // alice's Quire client writes before any stock client exists: they must get it in sync step 2
            QuireClient quire = QuireClient.connect(server.syncUrl(), doc, aliceToken).awaitSynced();
            assertEquals(alice.id(), quire.authOk.get(10, TimeUnit.SECONDS).userId());
            quire.awaitAcked(quire.append("hello"));

            String bobTicket = api.ticket(bobToken, doc);
            try (StockProvider bobStock = StockProvider.start(server.syncUrl(), doc, bobTicket, "Mallory",
                    logs.resolve("bob-stock.log"));
                 StockProvider aliceStock = StockProvider.start(server.syncUrl(), doc, api.ticket(aliceToken, doc),
                         "Not Alice", logs.resolve("alice-stock.log"))) {
                bobStock.awaitSynced();
                aliceStock.awaitSynced();
                bobStock.awaitText("hello");
                aliceStock.awaitText("hello");

                bobStock.insert(5, " from bob"); // stock -> Quire and stock
                quire.awaitText("hello from bob");
                aliceStock.awaitText("hello from bob");
                aliceStock.insert(0, ">> "); // the other stock client -> stock and Quire
                bobStock.awaitText(">> hello from bob");
                quire.awaitText(">> hello from bob");
                quire.append(" <<"); // Quire -> both stock clients
                bobStock.awaitText(">> hello from bob <<");
                aliceStock.awaitText(">> hello from bob <<");

                // the Quire client claims to be bob; each stock provider claims a made-up user
                long quireId = quire.doc.clientId();
                quire.send(ProtocolCodec.encode(AwarenessUpdate.of(new AwarenessEntry(quireId, 1,
                        "{\"user\":{\"id\":\"" + bob.id() + "\",\"name\":\"bob\",\"color\":\"#30bced\"}}"))));
                Map<Long, String> expected = Map.of(quireId, alice.id(), bobStock.clientId, bob.id(),
                        aliceStock.clientId, alice.id());
                Map<String, String> names = Map.of(alice.id(), "alice", bob.id(), "bob");

                for (StockProvider viewer : new StockProvider[] {bobStock, aliceStock}) {
                    Map<Long, JsonNode> seen = byClientId(viewer.awaitAwareness(3));
                    assertEquals(expected.keySet(), seen.keySet());
                    for (Map.Entry<Long, String> e : expected.entrySet()) {
                        if (e.getKey() == viewer.clientId) {
                            continue; // its own local state, which it never takes from the server
                        }
                        JsonNode user = seen.get(e.getKey()).path("user");
                        assertEquals(e.getValue(), user.path("id").asText(), "user.id of " + e.getKey() + ": " + user);
                        assertEquals(names.get(e.getValue()), user.path("name").asText(), user.toString());
                    }
                }
                assertEquals("#30bced", byClientId(bobStock.awaitAwareness(3)).get(quireId)
                        .at("/user/color").asText(), "the client's own fields stay");

                quire.awaitAwareness(3);
                Map<Long, AwarenessEntry> quireSees = quire.awareness();
                assertEquals(expected.keySet(), quireSees.keySet());
                for (Map.Entry<Long, String> e : expected.entrySet()) {
                    JsonNode user = JSON.readTree(quireSees.get(e.getKey()).stateJson()).path("user");
                    assertEquals(e.getValue(), user.path("id").asText(), user.toString());
                    assertEquals(names.get(e.getValue()), user.path("name").asText(), user.toString());
                    assertNotEquals("claimed-id", user.path("id").asText());
                }

                // what everyone sees is what the server stored
                Doc exported = new Doc();
                Updates.applyUpdate(exported, api.export(aliceToken, doc));
                assertEquals(">> hello from bob <<", exported.getText(QuireClient.TEXT).toString());
                assertFalse(exported.hasPending());
            }

            // A provider that reconnects after a drop presents its (used) ticket again: refused, before any document
            // byte (it never reports "synced").
            try (StockProvider replay = StockProvider.start(server.syncUrl(), doc, bobTicket, "bob",
                    logs.resolve("replay.log"))) {
                JsonNode close = replay.awaitEvent(e -> e.path("event").asText().equals("close"));
                assertEquals(1008, close.get("code").asInt());
                assertEquals("TOKEN_INVALID", close.get("reason").asText());
                replay.awaitEvent(e -> e.path("status").asText().equals("disconnected"));
                assertFalse(replay.sawEvent("synced"));
            }
            quire.closeBlocking();
        }
    }

    private static Map<Long, JsonNode> byClientId(JsonNode list) {
        Map<Long, JsonNode> m = new HashMap<>();
        for (JsonNode e : list) {
            m.put(e.get("clientId").asLong(), e.get("state"));
        }
        return m;
    }
}
