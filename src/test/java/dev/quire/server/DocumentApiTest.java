package dev.quire.server;

import dev.quire.testing.SyncTestClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.protocol.Ack;
import dev.quire.protocol.ErrorMessage;
import dev.quire.protocol.SyncUpdate;
import dev.quire.server.auth.User;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP document API on a live server, with sync connections where the API's effect shows there: create (default
 * workspace), list, rename, delete, share by user name, a reader's refused update, a stranger's 404s, export and
 * import, history and "who wrote this", bad requests, health, metrics, discovery and the public keys.
 */
class DocumentApiTest {
    @TempDir
    static Path dir;
    static ServerFixture f;
    static User olga;
    static User walt;
    static String owner;
    static String reader;
    static String writer;
    static String stranger;

    @BeforeAll
    static void start() {
        f = new ServerFixture(dir);
        olga = f.addUser("olga", "olga-password-1");
        f.addUser("rita", "rita-password-1");
        walt = f.addUser("walt", "walt-password-1");
        f.addUser("sam", "sam-password-1");
        owner = f.login("olga", "olga-password-1").access();
        reader = f.login("rita", "rita-password-1").access();
        writer = f.login("walt", "walt-password-1").access();
        stranger = f.login("sam", "sam-password-1").access();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void createListRenameDelete() {
        HttpResponse<String> created = f.json("POST", "/docs", owner, Map.of("title", "Plan"));
        assertEquals(201, created.statusCode(), created::body);
        JsonNode doc = ServerFixture.body(created);
        String id = doc.get("id").asText();
        assertEquals("/docs/" + id, created.headers().firstValue("Location").orElse(null));
        assertEquals("owner", doc.get("role").asText());
        JsonNode workspaces = ServerFixture.body(f.get("/workspaces", owner)).get("workspaces");
        List<String> defaults = new ArrayList<>();
        workspaces.forEach(w -> {
            if (w.get("default").asBoolean()) {
                defaults.add(w.get("id").asText());
            }
        });
        assertEquals(List.of(doc.get("workspace").asText()), defaults, "created in the one default workspace");

        assertTrue(titles(owner).contains("Plan"));
        HttpResponse<String> renamed = f.json("PATCH", "/docs/" + id, owner, Map.of("title", "Plan v2"));
        assertEquals(200, renamed.statusCode(), renamed::body);
        assertEquals("Plan v2", ServerFixture.body(renamed).get("title").asText());
        assertTrue(titles(owner).contains("Plan v2"));

        assertEquals(204, f.send("DELETE", "/docs/" + id, owner, null, null).statusCode());
        assertEquals(404, f.get("/docs/" + id, owner).statusCode());
        assertFalse(titles(owner).contains("Plan v2"));
    }

    /** Issue 7's offline create: the client picks the id; a retry gets the same document; nobody else can take it. */
    @Test
    void aDocumentCreatedWithTheClientsIdIsCreatedOnceAndTheIdIsNobodyElses() {
        String id = createdOnceUnderTheClientsId("/docs", "title", "Made offline", DocumentApiTest::titles);
        assertEquals(404, f.get("/docs/" + id, stranger).statusCode(), "the stranger gets nothing of it");
        assertEquals("Made offline", ServerFixture.body(f.get("/docs/" + id, owner)).get("title").asText());
    }

    /** The same for a workspace made offline. */
    @Test
    void aWorkspaceCreatedWithTheClientsIdIsCreatedOnceAndTheIdIsNobodyElses() {
        createdOnceUnderTheClientsId("/workspaces", "name", "Trip", DocumentApiTest::names);
    }

    /**
     * POSTs {@code {field: value, "id": a new UUID}} to {@code path} as the owner: created under that id; the same
     * again makes no second one; the stranger's create with that id is 409 and lists nothing of it; an id that is
     * not a UUID is 400. Returns the id.
     */
    private static String createdOnceUnderTheClientsId(String path, String field, String value,
                                                       java.util.function.Function<String, List<String>> listed) {
        String id = java.util.UUID.randomUUID().toString();
        HttpResponse<String> created = f.json("POST", path, owner, Map.of(field, value, "id", id));
        assertEquals(201, created.statusCode(), created::body);
        assertEquals(id, ServerFixture.body(created).get("id").asText());
        HttpResponse<String> again = f.json("POST", path, owner, Map.of(field, value, "id", id));
        assertEquals(201, again.statusCode(), "a retried create answers with the same one");
        assertEquals(1, listed.apply(owner).stream().filter(value::equals).count(), "and makes no second one");

        HttpResponse<String> taken = f.json("POST", path, stranger, Map.of(field, "Mine", "id", id));
        assertEquals(409, taken.statusCode(), taken::body);
        assertEquals("CONFLICT", ServerFixture.body(taken).get("error").asText());
        assertFalse(listed.apply(stranger).contains(value), "and lists nothing of it");

        HttpResponse<String> bad = f.json("POST", path, owner, Map.of(field, "x", "id", "../not-a-uuid"));
        assertEquals(400, bad.statusCode(), bad::body);
        return id;
    }

    private static List<String> names(String user) {
        List<String> out = new java.util.ArrayList<>();
        ServerFixture.body(f.get("/workspaces", user)).get("workspaces").forEach(w -> out.add(w.get("name").asText()));
        return out;
    }

    @Test
    void sharingByNameReaderIsRefusedWriterIsStoredAndHistoryNamesWriters() throws Exception {
        String id = f.createDoc(owner, "Shared");
        SyncTestClient o = f.connectWithBearer(id, owner, true);
        o.type("owner text;");
        awaitAck(o, "owner text;".length());

        HttpResponse<String> shared = f.json("PUT", "/docs/" + id + "/shares/rita", owner, Map.of("role", "reader"));
        assertEquals(200, shared.statusCode(), shared::body);
        assertEquals("rita", ServerFixture.body(shared).get("name").asText());
        assertEquals("reader", ServerFixture.body(shared).get("role").asText());
        assertEquals(200, f.json("PUT", "/docs/" + id + "/shares/walt", owner, Map.of("role", "writer")).statusCode());
        assertEquals("reader", ServerFixture.body(f.get("/docs/" + id, reader)).get("role").asText());
        assertTrue(titles(reader).contains("Shared"));

        // a reader may not rename
        HttpResponse<String> rename = f.json("PATCH", "/docs/" + id, reader, Map.of("title", "mine now"));
        assertEquals(403, rename.statusCode());
        assertEquals("FORBIDDEN", ServerFixture.body(rename).get("error").asText());

        // a reader's update is refused and stored nowhere; the owner never receives it
        SyncTestClient r = f.connectWithBearer(id, reader, true);
        r.awaitText("owner text;");
        r.type("READER-TEXT");
        assertEquals("FORBIDDEN", r.next(ErrorMessage.class).code());
        assertNull(o.poll(SyncUpdate.class, 300), "the owner received the reader's update");

        // a writer's is stored and relayed
        SyncTestClient w = f.connectWithBearer(id, writer, true);
        w.awaitText("owner text;");
        w.type("writer text;");
        awaitAck(w, "writer text;".length());
        o.awaitText("owner text;writer text;");

        String stored = textOf(export(owner, id));
        assertEquals("owner text;writer text;", stored);
        assertFalse(stored.contains("READER-TEXT"));

        JsonNode history = ServerFixture.body(f.get("/docs/" + id + "/history", owner)).get("history");
        List<String> who = new ArrayList<>();
        for (JsonNode e : history) {
            who.add(e.get("user").asText() + "/" + e.get("name").asText());
            assertTrue(e.get("bytes").asInt() > 0);
            assertFalse(e.get("time").asText().isEmpty());
            assertTrue(e.get("connection").asText().startsWith("c-"));
        }
        assertTrue(who.contains(olga.id() + "/olga"), who::toString);
        assertTrue(who.contains(walt.id() + "/walt"), who::toString);
        assertEquals(2, who.size(), () -> "one stored update each, none of the reader's: " + who);

        JsonNode wrote = ServerFixture.body(f.get("/docs/" + id + "/writer?client=" + w.doc.clientId() + "&clock=3",
                owner));
        assertEquals(walt.id(), wrote.get("user").asText());
        assertEquals("walt", wrote.get("name").asText());
        assertEquals(404, f.get("/docs/" + id + "/writer?client=" + w.doc.clientId() + "&clock=999", owner)
                .statusCode());
        for (SyncTestClient c : List.of(o, r, w)) {
            c.closeBlocking();
        }
    }

    @Test
    void aStrangerGetsTheSame404WhetherOrNotTheDocumentExists() {
        String id = f.createDoc(owner, "Private");
        String missing = "no-such-document";
        for (String path : List.of("/docs/%s", "/docs/%s/export", "/docs/%s/history")) {
            HttpResponse<String> exists = f.get(path.formatted(id), stranger);
            HttpResponse<String> absent = f.get(path.formatted(missing), stranger);
            assertEquals(404, exists.statusCode(), path);
            assertEquals(404, absent.statusCode(), path);
            assertEquals(absent.body().replace(missing, "ID"), exists.body().replace(id, "ID"), path);
        }
        HttpResponse<String> ticket = f.json("POST", "/auth/ticket", stranger, Map.of("doc", id));
        HttpResponse<String> ticketAbsent = f.json("POST", "/auth/ticket", stranger, Map.of("doc", missing));
        assertEquals(404, ticket.statusCode());
        assertEquals(ticketAbsent.body().replace(missing, "ID"), ticket.body().replace(id, "ID"));
        assertFalse(titles(stranger).contains("Private"));
    }

    @Test
    void exportThenImportIntoAnotherDocument() throws Exception {
        String from = f.createDoc(owner, "Source");
        SyncTestClient o = f.connectWithBearer(from, owner, true);
        o.type("exported text");
        awaitAck(o, "exported text".length());
        HttpResponse<byte[]> export = f.sendForBytes("GET", "/docs/" + from + "/export", owner);
        assertEquals(200, export.statusCode());
        assertEquals("application/octet-stream", export.headers().firstValue("Content-Type").orElse(null));

        String to = f.createDoc(owner, "Copy");
        SyncTestClient watcher = f.connectWithBearer(to, owner, true);
        HttpResponse<String> imported = f.send("PUT", "/docs/" + to + "/export", owner, "application/octet-stream",
                export.body());
        assertEquals(200, imported.statusCode(), imported::body);
        assertTrue(ServerFixture.body(imported).get("stored").asBoolean());
        watcher.awaitText("exported text"); // live connections get the import too
        assertEquals("exported text", textOf(export(owner, to)));
        o.closeBlocking();
        watcher.closeBlocking();
    }

    @Test
    void badRequestsGetJsonErrors() {
        HttpResponse<String> garbage = f.send("POST", "/docs", owner, "application/json",
                "{\"title\": ".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, garbage.statusCode());
        assertJsonError(garbage);

        HttpResponse<String> wrongType = f.send("POST", "/docs", owner, "text/plain",
                "{\"title\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(415, wrongType.statusCode());
        assertJsonError(wrongType);

        HttpResponse<String> unknown = f.get("/no/such/path", owner);
        assertEquals(404, unknown.statusCode());
        assertEquals("NOT_FOUND", assertJsonError(unknown));

        HttpResponse<String> noToken = f.get("/docs", null);
        assertEquals(401, noToken.statusCode());
        assertEquals("AUTH_REQUIRED", assertJsonError(noToken));

        HttpResponse<String> badToken = f.get("/docs", "not.a.token");
        assertEquals(401, badToken.statusCode());
        assertEquals("TOKEN_INVALID", assertJsonError(badToken));
    }

    @Test
    void healthDiscoveryAndPublicKeys() {
        HttpResponse<String> health = f.get("/healthz", null);
        assertEquals(200, health.statusCode());
        assertEquals("ok", ServerFixture.body(health).get("status").asText());

        JsonNode discovery = ServerFixture.body(f.get("/.well-known/quire", null));
        String base = f.server.httpUrl().toString();
        assertEquals(base + "/auth/token", discovery.get("token_endpoint").asText());
        assertEquals(base + "/.well-known/jwks.json", discovery.get("jwks_uri").asText());
        assertEquals(f.server.syncUrl() + "/sync/{docId}", discovery.get("sync_url_template").asText());
        assertFalse(discovery.get("issuer").asText().isEmpty());
        assertFalse(discovery.get("version").asText().isEmpty());

        HttpResponse<String> jwks = f.get("/.well-known/jwks.json", null);
        assertEquals(200, jwks.statusCode());
        JsonNode keys = ServerFixture.body(jwks).get("keys");
        List<String> kids = new ArrayList<>();
        for (JsonNode k : keys) {
            kids.add(k.get("kid").asText());
            assertEquals("EC", k.get("kty").asText());
            for (String privatePart : List.of("d", "p", "q", "dp", "dq", "qi", "k")) {
                assertFalse(k.has(privatePart), "published private parameter " + privatePart);
            }
        }
        assertTrue(kids.contains(f.server.keys().orElseThrow().currentKeyId()));
    }

    @Test
    void metricsAfterSomeTraffic() throws Exception {
        String id = f.createDoc(owner, "Metered");
        SyncTestClient o = f.connectWithBearer(id, owner, true);
        o.type("x");
        awaitAck(o, 1);
        SyncTestClient bad = f.connectWithBearer(id, "not.a.token", true);
        assertEquals(1008, bad.awaitClose().code());

        HttpResponse<String> metrics = f.get("/metrics", null);
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        String text = metrics.body();
        assertTrue(text.lines().anyMatch(l -> l.startsWith("quire_connections ") && !l.endsWith(" 0.0")),
                "a live connection counted");
        assertTrue(text.contains("quire_auth_failures_total{code=\"TOKEN_INVALID\"}"), "auth failures by code");
        assertTrue(text.contains("quire_ack_latency_seconds_bucket{"), "ack latency histogram");
        assertTrue(text.lines().anyMatch(l -> l.startsWith("quire_ack_latency_seconds_count ")
                && !l.endsWith(" 0.0")), "acks timed");
        o.closeBlocking();
    }

    private static String assertJsonError(HttpResponse<String> r) {
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r::body);
        JsonNode b = ServerFixture.body(r);
        assertTrue(b.get("error").isTextual() && b.get("message").isTextual(), r::body);
        return b.get("error").asText();
    }

    private static List<String> titles(String token) {
        List<String> titles = new ArrayList<>();
        ServerFixture.body(f.get("/docs", token)).get("documents").forEach(d -> titles.add(d.get("title").asText()));
        return titles;
    }

    private static byte[] export(String token, String id) {
        HttpResponse<byte[]> r = f.sendForBytes("GET", "/docs/" + id + "/export", token);
        assertEquals(200, r.statusCode());
        return r.body();
    }

    private static String textOf(byte[] update) {
        Doc d = new Doc();
        Updates.applyUpdate(d, update, null);
        return d.getText("t").toString();
    }

    private static void awaitAck(SyncTestClient c, long clock) throws InterruptedException {
        while (true) {
            Ack ack = c.next(Ack.class);
            if (ack.clientId() == c.doc.clientId() && ack.clock() >= clock) {
                return;
            }
        }
    }
}
