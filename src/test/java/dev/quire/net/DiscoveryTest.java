package dev.quire.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.server.QuireServer;
import dev.quire.server.ServerConfig;
import dev.quire.testing.TestClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From one URL to the server's endpoints, and clear errors for what is not a usable Quire server. */
class DiscoveryTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void theRealServerDescribesItself() throws Exception {
        try (QuireServer server = QuireServer.start(ServerConfig.defaults(dir).onFreePorts(),
                TestClock.at("2030-01-01T00:00:00Z"))) {
            String typed = "127.0.0.1:" + server.httpPort() + "/"; // as a user might type it
            ServerEndpoints e = Discovery.discover(http, typed, TIMEOUT).get(10, TimeUnit.SECONDS);

            URI base = server.httpUrl();
            assertEquals(base.resolve("/auth/token"), e.token());
            assertEquals(base.resolve("/auth/revoke"), e.revoke());
            assertEquals(base.resolve("/auth/ticket"), e.ticket());
            assertEquals(base.resolve("/docs"), e.documents());
            assertEquals(base.resolve("/workspaces"), e.workspaces());
            assertEquals("quire.v1", e.syncSubprotocol());
            assertEquals("quire", e.issuer());
            assertFalse(e.version().isBlank());
            assertFalse(e.devMode());
            assertEquals(URI.create(server.syncUrl() + "/sync/a%20b%2Fc"), e.syncUrl("a b/c"));
        }
    }

    @Test
    void somethingElseIsNotAQuireServer() {
        try (StubHttp notFound = new StubHttp(404, "text/html", "<html>no</html>");
             StubHttp html = new StubHttp(200, "text/html", "<html>welcome</html>");
             StubHttp otherJson = new StubHttp(200, "application/json", "{\"issuer\":\"https://idp\"}")) {
            for (StubHttp s : new StubHttp[] {notFound, html, otherJson}) {
                assertEquals(DiscoveryException.Kind.NOT_QUIRE, failure(s).kind());
            }
        }
    }

    @Test
    void aServerWithoutTheSyncProtocolOrAnEndpointIsIncompatible() {
        String old = "{\"issuer\":\"quire\",\"version\":\"0.0.1\",\"token_endpoint\":\"http://h/auth/token\"}";
        String noSync = "{\"issuer\":\"quire\",\"version\":\"0.0.9\",\"token_endpoint\":\"http://h/auth/token\","
                + "\"revocation_endpoint\":\"http://h/auth/revoke\",\"documents_endpoint\":\"http://h/docs\","
                + "\"sync_subprotocol\":\"quire.v1\"}";
        try (StubHttp s = new StubHttp(200, "application/json", old)) {
            DiscoveryException e = failure(s);
            assertEquals(DiscoveryException.Kind.INCOMPATIBLE, e.kind());
            assertTrue(e.getMessage().contains("0.0.1"), e.getMessage());
            s.answer(200, "application/json", noSync);
            e = failure(s);
            assertEquals(DiscoveryException.Kind.INCOMPATIBLE, e.kind());
            assertTrue(e.getMessage().contains("sync_url_template"), e.getMessage());
        }
    }

    @Test
    void noAnswerIsUnreachable() {
        DiscoveryException e = failure(Discovery.discover(http, StubHttp.closedPort("").toString(), TIMEOUT));
        assertEquals(DiscoveryException.Kind.UNREACHABLE, e.kind());
    }

    @Test
    void theTypedAddressIsNormalised() {
        assertEquals(URI.create("http://example.com:8080"), Discovery.baseUri(" example.com:8080/ "));
        assertEquals(URI.create("https://example.com/quire"), Discovery.baseUri("https://example.com/quire/?x=1#y"));
        assertThrows(IllegalArgumentException.class, () -> Discovery.baseUri("ftp://example.com"));
        assertThrows(IllegalArgumentException.class, () -> Discovery.baseUri(""));
    }

    private DiscoveryException failure(StubHttp s) {
        return failure(Discovery.discover(http, s.url("").toString(), TIMEOUT));
    }

    private static DiscoveryException failure(CompletableFuture<?> f) {
        try {
            Object v = f.get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + v);
        } catch (ExecutionException e) {
            return assertInstanceOf(DiscoveryException.class, e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
