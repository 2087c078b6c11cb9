package dev.quire.server;

import dev.quire.testing.SyncTestClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.protocol.AuthOk;
import dev.quire.testing.TestClock;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dev mode (issue 5): refused on anything but loopback; on loopback every HTTP request and sync connection is user
 * {@code dev} with no credential; without it, no credential means {@code AUTH_REQUIRED} and nothing falls back to a
 * development user.
 */
class DevModeTest {
    @TempDir
    Path dir;

    @Test
    void devModeOnAllInterfacesIsRefusedBeforeAnythingIsOpened() {
        ServerConfig d = ServerConfig.defaults(dir.resolve("data")).onFreePorts().withDev(true);
        ServerConfig everywhere = new ServerConfig("0.0.0.0", 0, 0, d.dataDir(), null, d.accessTtl(),
                d.refreshTtl(), true, null, null, d.audience(), d.expiredGrace(), d.warnBefore(), null, null,
                d.durability(), 1000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QuireServer.start(everywhere, new TestClock(ServerFixture.START)));
        assertTrue(e.getMessage().contains("--dev refuses to listen on 0.0.0.0"), e.getMessage());
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("data")), "no data opened for a refused start");
    }

    @Test
    void devModeOnLoopbackNeedsNoLoginAndEveryoneIsDev() throws Exception {
        try (ServerFixture f = new ServerFixture(dir, c -> c.withDev(true))) {
            String doc = f.createDoc(null, "dev doc");
            assertEquals("dev", ServerFixture.body(f.get("/docs/" + doc, null)).get("owner").asText());
            assertTrue(ServerFixture.body(f.get("/.well-known/quire", null)).get("dev_mode").asBoolean());

            SyncTestClient quire = f.connect(doc, null, Map.of(), true);
            assertEquals("dev", quire.next(AuthOk.class).userId());
            SyncTestClient stock = f.connect(doc, null, Map.of(), false);
            quire.type("no login needed");
            stock.awaitText("no login needed");
            quire.closeBlocking();
            stock.closeBlocking();
        }
    }

    @Test
    void withoutDevModeThereIsNoFallback() throws Exception {
        try (ServerFixture f = new ServerFixture(dir)) {
            f.addUser("dev", "dev-password-1"); // even a user named dev is not reached without a credential
            String token = f.login("dev", "dev-password-1").access();
            String doc = f.createDoc(token, "dev's");
            HttpResponse<String> http = f.get("/docs", null);
            assertEquals(401, http.statusCode());
            assertEquals("AUTH_REQUIRED", ServerFixture.body(http).get("error").asText());
            assertFalse(ServerFixture.body(f.get("/.well-known/quire", null)).get("dev_mode").asBoolean());

            SyncTestClient c = f.connect(doc, null, Map.of(), true);
            SyncTestClient.Closed closed = c.awaitClose();
            assertEquals(1008, closed.code());
            assertEquals("AUTH_REQUIRED", closed.reason());
            assertEquals(0, closed.framesBefore());
        }
    }
}
