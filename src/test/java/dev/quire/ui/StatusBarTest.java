package dev.quire.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.engine.OpenDocument;
import dev.quire.server.QuireServer;
import dev.quire.server.ServerConfig;
import dev.quire.testing.TcpFaultProxy;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import org.fxmisc.richtext.StyleClassedTextArea;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue 7: the status bar tells the truth. The network is cut through a fault proxy: typing goes on, the bar counts
 * the edits kept on this computer; the network is back and "retry now" is clicked: saved, and the server has every
 * edit.
 */
class StatusBarTest {
    private static final String PASSWORD = "alice-password-1";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void offlineTypingIsCountedThenSavedWhenTheNetworkIsBack() throws Exception {
        try (TeamServer team = new TeamServer(dir)) {
            TcpFaultProxy syncProxy = team.syncProxy;
            QuireServer server = team.server;
            QuireApp app = team.app();
            FxRobot robot = new FxRobot();
            try {
                Label status = abcSavedThenDefOffline(robot, syncProxy);
                assertEquals("abcdef", robot.lookup("#editor").queryAs(StyleClassedTextArea.class).getText());
                assertTrue(robot.lookup("#retryNow").query().isVisible());

                syncProxy.refuse(false);
                robot.clickOn("#retryNow");
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> status.getText().equals("Saved · online"));
                assertEquals("abcdef", serverText(server));
            } finally {
                FxToolkit.cleanupStages();
                FxToolkit.cleanupApplication(app);
            }
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void signingOutClosesEveryWindowKeepsTheQueuedEditsAndTheSameUserGetsThemBack() throws Exception {
        try (TeamServer team = new TeamServer(dir)) {
            TcpFaultProxy syncProxy = team.syncProxy;
            QuireServer server = team.server;
            QuireApp app = team.app();
            FxRobot robot = new FxRobot();
            try {
                abcSavedThenDefOffline(robot, syncProxy);

                robot.clickOn("#signOut");
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#signIn").tryQuery().isPresent());
                assertTrue(robot.lookup("#editor").tryQuery().isEmpty(), "the document window closed");
                String note = robot.lookup("#error").queryAs(Label.class).getText();
                assertTrue(note.contains("3 edits saved on this computer"), note);
                assertEquals("abc", serverText(server), "nothing was sent after signing out");

                syncProxy.refuse(false);
                signIn(robot); // the same user: her window comes back, and her edits go out
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#editor").tryQuery().isPresent());
                Label again = robot.lookup("#status").queryAs(Label.class);
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> again.getText().equals("Saved · online"));
                assertEquals("abcdef", serverText(server));
            } finally {
                FxToolkit.cleanupStages();
                FxToolkit.cleanupApplication(app);
            }
        }
    }

    /**
     * Signs in, types "abc" into a new document until the bar says it is saved online, cuts the network and types
     * "def": the bar counts the 3 edits kept on this computer (typing never blocks). Returns the status bar.
     */
    private static Label abcSavedThenDefOffline(FxRobot robot, TcpFaultProxy syncProxy) throws Exception {
        signIn(robot);
        robot.clickOn("#newDocument");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#editor").tryQuery().isPresent());
        Label status = robot.lookup("#status").queryAs(Label.class);
        robot.clickOn("#editor").write("abc");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> status.getText().equals("Saved · online"));
        syncProxy.refuse(true); // the network drops
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> status.getText().startsWith("Reconnecting"));
        robot.write("def"); // no second click: a fast one would select the word
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> status.getText().endsWith("3 edits saved on this computer"));
        return status;
    }

    private static void signIn(FxRobot robot) throws Exception {
        robot.clickOn("#user").write("alice");
        robot.clickOn("#password").write(PASSWORD);
        robot.clickOn("#signIn");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#newDocument").tryQuery().isPresent());
    }

    /** A team server on loopback behind a fault proxy per port (discovery advertises the proxies), user alice. */
    private static final class TeamServer implements AutoCloseable {
        final TcpFaultProxy httpProxy = new TcpFaultProxy();
        final TcpFaultProxy syncProxy = new TcpFaultProxy();
        final QuireServer server;
        private final Path dir;

        TeamServer(Path dir) throws Exception {
            this.dir = dir;
            server = QuireServer.start(ServerConfig.defaults(dir.resolve("server")).onFreePorts()
                    .withPasswordIterations(1000).withPublicSyncUrl("ws://127.0.0.1:" + syncProxy.port()),
                    Clock.systemUTC());
            httpProxy.forwardTo(new InetSocketAddress("127.0.0.1", server.httpPort()));
            syncProxy.forwardTo(new InetSocketAddress("127.0.0.1", server.syncPort()));
            server.addUser("alice", PASSWORD.toCharArray());
        }

        /** The app, started at this server's sign-in (through the HTTP proxy). */
        QuireApp app() throws Exception {
            FxToolkit.registerPrimaryStage();
            return (QuireApp) FxToolkit.setupApplication(() -> new QuireApp(dir.resolve("home"),
                    "http://127.0.0.1:" + httpProxy.port()));
        }

        @Override
        public void close() {
            server.close();
            syncProxy.close();
            httpProxy.close();
        }
    }

    /** The one document alice has, as the server stores it. */
    private static String serverText(QuireServer server) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        String token = json.readTree(http.send(HttpRequest.newBuilder(server.httpUrl().resolve("/auth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=alice&password=" + PASSWORD))
                .build(), HttpResponse.BodyHandlers.ofString()).body()).get("access_token").asText();
        String docId = json.readTree(http.send(HttpRequest.newBuilder(server.httpUrl().resolve("/docs"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString())
                .body()).get("documents").get(0).get("id").asText();
        byte[] state = http.send(HttpRequest.newBuilder(server.httpUrl().resolve("/docs/" + docId + "/export"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofByteArray())
                .body();
        Doc d = new Doc();
        Updates.applyUpdate(d, state, null);
        return d.getText(OpenDocument.TEXT).toString();
    }
}
