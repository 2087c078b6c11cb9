package dev.quire.engine;

import static dev.quire.engine.EngineFixture.awaitDrained;
import static dev.quire.engine.EngineFixture.awaitState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.sync.ConnectionState;
import dev.quire.testing.StockProvider;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6: two clients edit the same document offline (inserts and deletes, each in its own store), then both
 * reconnect: they converge, and a stock y-websocket client reading the server agrees.
 */
class OfflineConvergenceTest {
    /** y-websocket's provider script reads the text named "text". */
    private static final String TEXT = "text";

    @TempDir
    Path dir;

    @Test
    void twoClientsThatEditedOfflineConvergeAndAStockYjsClientAgrees() throws Exception {
        try (EngineFixture fx = new EngineFixture(dir, Clock.systemUTC(), Duration.ofMinutes(15))) {
            String docId = fx.createDocument("alice", "both offline");
            fx.share("alice", docId, "bob", "writer");
            OpenDocument a = fx.signIn(fx.engine("alice-laptop"), "alice").open(docId);
            OpenDocument b = fx.signIn(fx.engine("bob-laptop"), "bob").open(docId);
            awaitState(a, ConnectionState.CONNECTED);
            awaitState(b, ConnectionState.CONNECTED);
            synchronized (a.doc()) {
                a.doc().getText(TEXT).insert(0, "shared start. ");
            }
            awaitDrained(a);
            EngineFixture.await("bob to have the start", () -> text(b).equals("shared start. "));

            fx.syncProxy.refuse(true);
            awaitState(a, ConnectionState.RECONNECTING);
            awaitState(b, ConnectionState.RECONNECTING);
            edit(a, new Random(10), 300);
            edit(b, new Random(20), 300);
            assertTrue(!text(a).equals(text(b)), "they diverged while offline");

            fx.syncProxy.refuse(false);
            awaitDrained(a);
            awaitDrained(b);
            EngineFixture.await("the two to converge", () -> text(a).equals(text(b)));
            String converged = text(a);

            String ticket = ticket(fx, docId);
            try (StockProvider stock = StockProvider.start(fx.server.syncUrl(), docId, ticket, "carol",
                    dir.resolve("stock.err"))) {
                stock.awaitSynced();
                assertEquals(converged, stock.awaitText(converged), "the stock client reads the same text");
            }
        }
    }

    /** Random edits: mostly one-character inserts, some deletes of up to three characters. */
    private static void edit(OpenDocument d, Random random, int n) {
        for (int i = 0; i < n; i++) {
            synchronized (d.doc()) {
                var t = d.doc().getText(TEXT);
                if (t.length() > 3 && random.nextInt(4) == 0) {
                    int at = random.nextInt(t.length() - 1);
                    t.delete(at, Math.min(1 + random.nextInt(3), t.length() - at));
                } else {
                    t.insert(random.nextInt(t.length() + 1), String.valueOf((char) ('a' + random.nextInt(26))));
                }
            }
        }
    }

    private static String text(OpenDocument d) {
        synchronized (d.doc()) {
            return d.doc().getText(TEXT).toString();
        }
    }

    private static String ticket(EngineFixture fx, String docId) throws Exception {
        HttpResponse<String> r = fx.http.send(HttpRequest.newBuilder(fx.server.httpUrl().resolve("/auth/ticket"))
                .header("Authorization", "Bearer " + fx.accessToken("bob")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"doc\":\"" + docId + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return new ObjectMapper().readTree(r.body()).get("ticket").asText();
    }
}
