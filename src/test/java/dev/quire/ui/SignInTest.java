package dev.quire.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.server.QuireServer;
import dev.quire.server.ServerConfig;
import dev.quire.store.Profiles;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** "Sign in to a server", headless, against a team server on loopback: clear errors, the list, signing out. */
class SignInTest {
    private static final String PASSWORD = "alice-password-1";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void wrongPasswordUnreachableServerThenSignedInThenSignedOut() throws Exception {
        try (QuireServer server = QuireServer.start(ServerConfig.defaults(dir.resolve("server")).onFreePorts()
                .withPasswordIterations(1000), Clock.systemUTC())) {
            server.addUser("alice", PASSWORD.toCharArray());
            FxToolkit.registerPrimaryStage();
            QuireApp app = (QuireApp) FxToolkit.setupApplication(() -> new QuireApp(dir.resolve("home"),
                    server.httpUrl().toString()));
            FxRobot robot = new FxRobot();
            try {
                assertEquals(server.httpUrl().toString(), robot.lookup("#server").queryAs(TextField.class).getText());
                Label error = robot.lookup("#error").queryAs(Label.class);

                Clicks.on(robot, "#user").write("alice");
                Clicks.on(robot, "#password").write("not-her-password");
                Clicks.on(robot, "#signIn");
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                        () -> error.getText().equals("Wrong user name or password."));
                assertFalse(error.getText().contains("not-her-password"));

                int closed;
                try (ServerSocket s = new ServerSocket(0)) {
                    closed = s.getLocalPort(); // nothing listens there once closed
                }
                robot.interact(() -> robot.lookup("#server").queryAs(TextField.class)
                        .setText("http://127.0.0.1:" + closed));
                Clicks.on(robot, "#password").write(PASSWORD);
                Clicks.on(robot, "#signIn");
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> error.getText().startsWith("Cannot reach"));

                robot.interact(() -> robot.lookup("#server").queryAs(TextField.class)
                        .setText(server.httpUrl().toString()));
                Clicks.on(robot, "#password").write(PASSWORD);
                Clicks.on(robot, "#signIn");
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#documents").tryQuery()
                        .isPresent());

                Clicks.on(robot, "#signOut");
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#signIn").tryQuery().isPresent()
                        && robot.lookup("#error").queryAs(Label.class).getText().equals("Signed out."));
                assertEquals(Profiles.normalize(server.httpUrl()).toString(),
                        robot.lookup("#server").queryAs(TextField.class).getText(), "back at this server's sign-in");
                assertTrue(robot.lookup("#documents").tryQuery().isEmpty());
            } finally {
                FxToolkit.cleanupStages();
                FxToolkit.cleanupApplication(app);
            }
        }
    }
}
