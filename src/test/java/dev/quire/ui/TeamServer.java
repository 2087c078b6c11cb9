package dev.quire.ui;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javafx.scene.Node;
import javafx.stage.Window;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * For the app's tests: a team server on loopback behind a fault proxy per port (discovery advertises the proxies),
 * users alice and bob, and the app started at its sign-in.
 */
final class TeamServer implements AutoCloseable {
    static final String ALICE_PASSWORD = "alice-password-1";
    static final String BOB_PASSWORD = "bob-password-22";

    final TcpFaultProxy httpProxy = new TcpFaultProxy();
    final TcpFaultProxy syncProxy = new TcpFaultProxy();
    final QuireServer server;
    private final Path dir;

    TeamServer(Path dir) throws Exception {
        this(dir, UnaryOperator.identity());
    }

    /** With the server's configuration changed by {@code config} (short tokens, say). */
    TeamServer(Path dir, UnaryOperator<ServerConfig> config) throws Exception {
        this.dir = dir;
        server = QuireServer.start(config.apply(ServerConfig.defaults(dir.resolve("server")).onFreePorts()
                .withPasswordIterations(1000).withPublicSyncUrl("ws://127.0.0.1:" + syncProxy.port())),
                Clock.systemUTC());
        httpProxy.forwardTo(new InetSocketAddress("127.0.0.1", server.httpPort()));
        syncProxy.forwardTo(new InetSocketAddress("127.0.0.1", server.syncPort()));
        server.addUser("alice", ALICE_PASSWORD.toCharArray());
        server.addUser("bob", BOB_PASSWORD.toCharArray());
    }

    static TeamServer withTokensOf(Path dir, Duration access) throws Exception {
        return new TeamServer(dir, c -> c.withTokenLifetimes(access, Duration.ofDays(1)));
    }

    /** The app, started at this server's sign-in (through the HTTP proxy). */
    QuireApp app() throws Exception {
        FxToolkit.registerPrimaryStage();
        return (QuireApp) FxToolkit.setupApplication(() -> new QuireApp(dir.resolve("home"),
                "http://127.0.0.1:" + httpProxy.port()));
    }

    /** A test of the running app. */
    interface AppTest {
        void run(QuireApp app, FxRobot robot) throws Exception;
    }

    /** Starts the app at this server's sign-in, runs {@code test}, and closes every window and the app again. */
    void run(AppTest test) throws Exception {
        QuireApp app = app();
        try {
            test.run(app, new FxRobot());
        } finally {
            FxToolkit.cleanupStages();
            FxToolkit.cleanupApplication(app);
        }
    }

    /** Alice signs in and types in a new document online, then offline (see StatusBarTest#abcSavedThenDefOffline). */
    javafx.scene.control.Label aliceTypesOnlineThenOffline(FxRobot robot) throws Exception {
        signIn(robot, "alice", ALICE_PASSWORD);
        Clicks.on(robot, "#newDocument");
        return StatusBarTest.abcSavedThenDefOffline(robot, this);
    }

    /** Signs in with the sign-in shown under {@code root} (any window's), and waits for the document list. */
    static void signIn(FxRobot robot, Node root, String user, String password) throws Exception {
        robot.interact(() -> ((javafx.stage.Stage) root.getScene().getWindow()).toFront());
        robot.clickOn(robot.from(root).lookup("#user").queryAs(Node.class)).write(user);
        robot.clickOn(robot.from(root).lookup("#password").queryAs(Node.class)).write(password);
        robot.clickOn(robot.from(root).lookup("#signIn").queryAs(Node.class));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#newDocument").tryQuery().isPresent());
        WaitForAsyncUtils.waitForFxEvents();
    }

    static void signIn(FxRobot robot, String user, String password) throws Exception {
        signIn(robot, robot.lookup("#signIn").query().getScene().getRoot(), user, password);
    }

    /** The text of a user's document as the server stores it; {@code index} in their list. */
    String serverText(String user, String password, int index) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        String token = json.readTree(http.send(HttpRequest.newBuilder(server.httpUrl().resolve("/auth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=" + user + "&password="
                        + password)).build(), HttpResponse.BodyHandlers.ofString()).body())
                .get("access_token").asText();
        JsonNode docs = json.readTree(http.send(HttpRequest.newBuilder(server.httpUrl().resolve("/docs"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString())
                .body()).get("documents");
        String docId = docs.get(index).get("id").asText();
        byte[] state = http.send(HttpRequest.newBuilder(server.httpUrl().resolve("/docs/" + docId + "/export"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofByteArray())
                .body();
        Doc d = new Doc();
        Updates.applyUpdate(d, state, null);
        return d.getText(OpenDocument.TEXT).toString();
    }

    String aliceText(int index) throws Exception {
        return serverText("alice", ALICE_PASSWORD, index);
    }

    /** Every showing window's scene root, front-most (last shown) last. */
    static List<Node> windowRoots() {
        List<Node> roots = new ArrayList<>();
        for (Window w : Window.getWindows()) {
            if (w.isShowing() && w.getScene() != null) {
                roots.add(w.getScene().getRoot());
            }
        }
        return roots;
    }

    @Override
    public void close() {
        server.close();
        syncProxy.close();
        httpProxy.close();
    }
}
