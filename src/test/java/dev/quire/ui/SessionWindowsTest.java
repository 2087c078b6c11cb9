package dev.quire.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.app.DocumentLink;
import dev.quire.app.SingleInstance;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue 7, "log in and out across windows": one session for every window. Signing out in one of three windows, or
 * the server refusing the refresh, shows the sign-in in all of them at once, sends nothing more, and keeps the
 * queued edits; the same user gets the windows and the edits back, another user gets none of them. Also: quitting
 * with queued edits says so, and a second launch hands over to the first.
 */
class SessionWindowsTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void signingOutInOneOfThreeWindowsShowsTheSignInInAllAndTheSameUserGetsEverythingBack() throws Exception {
        try (TeamServer team = new TeamServer(dir)) {
            team.run((app, robot) -> {
                TeamServer.signIn(robot, "alice", TeamServer.ALICE_PASSWORD);
                for (int i = 1; i <= 3; i++) {
                    int n = i;
                    robot.interact(() -> app.editorWindows().forEach(w -> w.stage().toBack()));
                    Clicks.on(robot, "#newDocument");
                    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> app.editorWindows().size() == n);
                }
                Label status = StatusBarTest.abcSavedThenDefOffline(robot, team);
                String typedIn = app.editorWindows().stream().filter(w -> w.stage().getScene().getRoot()
                        .lookup("#status") == status).findFirst().orElseThrow().info().id();

                signOutFromTheAccountMenu(robot, app.editorWindows().get(0).stage()); // not the window typed in
                long before = System.nanoTime();
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#signIn").queryAll().size() == 4);
                long ms = (System.nanoTime() - before) / 1_000_000;
                assertTrue(ms < 1000, "every window showed the sign-in " + ms + " ms after the click");
                assertTrue(robot.lookup("#editor").tryQuery().isEmpty(), "no document text is left on screen");
                for (EditorWindow w : app.editorWindows()) {
                    assertTrue(w.document().isEmpty(), "its connection is closed");
                    String note = robot.from(w.stage().getScene().getRoot()).lookup("#error").queryAs(Label.class)
                            .getText();
                    assertEquals("Signed out. Sign in as alice to send 3 edits saved on this computer.", note);
                }
                assertEquals("abc", team.aliceText(0) + team.aliceText(1) + team.aliceText(2),
                        "nothing was sent after signing out");

                team.syncProxy.refuse(false);
                // the same user signs in again, in one of the document windows: all three come back, the edits go
                TeamServer.signIn(robot, app.editorWindows().get(1).stage().getScene().getRoot(), "alice",
                        TeamServer.ALICE_PASSWORD);
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#editor").queryAll().size() == 3);
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#status").queryAll().stream()
                        .allMatch(l -> ((Label) l).getText().equals("Saved · online")));
                assertEquals("abcdef", team.aliceText(0) + team.aliceText(1) + team.aliceText(2));
                assertTrue(app.editorWindows().stream().anyMatch(w -> w.info().id().equals(typedIn)));
            });
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aRefreshTheServerRefusesEndsTheSessionInEveryWindowSayingSoAndHowManyEditsWait() throws Exception {
        try (TeamServer team = TeamServer.withTokensOf(dir, Duration.ofSeconds(3))) {
            team.run((app, robot) -> {
                team.aliceTypesOnlineThenOffline(robot);

                assertTrue(team.server.signOutEverywhere("alice") >= 1); // an admin revokes her sessions
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#signIn").queryAll().size() == 2);
                assertTrue(robot.lookup("#editor").tryQuery().isEmpty());
                for (Node n : robot.lookup("#error").queryAll()) {
                    assertEquals("Your session ended. Sign in as alice to send 3 edits saved on this computer.",
                            ((Label) n).getText());
                }
                assertEquals("abc", team.aliceText(0), "nothing was sent after the session ended");
            });
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void anotherUserSigningInSeesNoneOfThePreviousUsersWindowsDocumentsOrEdits() throws Exception {
        try (TeamServer team = new TeamServer(dir)) {
            team.run((app, robot) -> {
                team.aliceTypesOnlineThenOffline(robot);
                signOutFromTheAccountMenu(robot, app.editorWindows().get(0).stage());
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#signIn").queryAll().size() == 2);

                team.syncProxy.refuse(false);
                TeamServer.signIn(robot, app.editorWindows().get(0).stage().getScene().getRoot(), "bob",
                        TeamServer.BOB_PASSWORD);
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> app.editorWindows().isEmpty());
                assertTrue(robot.lookup("#editor").tryQuery().isEmpty(), "alice's window closed");
                WaitForAsyncUtils.waitForFxEvents();
                DocumentListPane list = robot.lookup("#documents").queryAs(javafx.scene.control.ListView.class)
                        .getParent() instanceof DocumentListPane p ? p : null;
                assertTrue(list != null && list.shown().isEmpty(), "bob's list has none of alice's documents");
                assertEquals("abc", team.aliceText(0), "alice's queued edits were not sent as bob's");
            });
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void closingTheLastWindowWithQueuedEditsSaysSoAndASecondLaunchHandsOver() throws Exception {
        try (TeamServer team = new TeamServer(dir)) {
            team.run((app, robot) -> {
                team.aliceTypesOnlineThenOffline(robot);
                Stage main = (Stage) robot.lookup("#documents").query().getScene().getWindow();
                robot.interact(main::hide);
                Stage editor = app.editorWindows().get(0).stage();
                Platform.runLater(() -> editor.fireEvent(new WindowEvent(editor, WindowEvent.WINDOW_CLOSE_REQUEST)));
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                        () -> robot.lookup("#queuedOnQuit").tryQuery().isPresent());
                String said = robot.lookup("#queuedOnQuit").queryAs(javafx.scene.control.DialogPane.class)
                        .getContentText();
                assertTrue(said.startsWith("3 edits have not reached the server yet."), said);
                javafx.scene.control.DialogPane pane = robot.lookup("#queuedOnQuit")
                        .queryAs(javafx.scene.control.DialogPane.class);
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.from(pane).lookup(".button").queryAll()
                        .size() == 2); // the buttons arrive with the dialog's first layout
                robot.clickOn(robot.from(pane).lookup(".button").queryAll().stream()
                        .filter(b -> ((javafx.scene.control.Button) b).getText().equals("Keep Quire open"))
                        .findFirst().orElseThrow());
                WaitForAsyncUtils.waitForFxEvents();
                assertTrue(editor.isShowing(), "the window stayed open");

                // ./quire again on the same folder: it does not start a second app; the first shows its window
                Path home = dir.resolve("home");
                assertFalse(QuireApp.launch(home, null), "the second launch handed over");
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, main::isShowing);
                assertTrue(SingleInstance.claim(home, target -> { }).isEmpty(), "the folder stays the first one's");

                // and again, with the main window open: it opens a new window on the same documents
                assertFalse(QuireApp.launch(home, null), "the third launch handed over too");
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                        () -> robot.lookup("#documents").queryAll().size() == 2);
                javafx.scene.control.ListView<?> second = robot.lookup("#documents").queryAll().stream()
                        .filter(n -> n.getScene().getWindow() != main).findFirst()
                        .map(n -> (javafx.scene.control.ListView<?>) n).orElseThrow();
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !second.getItems().isEmpty());
                assertTrue(second.getScene().getWindow().isShowing());

                // with a quire:// link (issue 8: the installers register the scheme): its document in a window
                String docId = app.editorWindows().get(0).info().id();
                int before = app.editorWindows().size();
                String link = new DocumentLink(URI.create("http://127.0.0.1:" + team.httpProxy.port()), docId)
                        .toString();
                assertFalse(QuireApp.launch(home, null, link));
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> app.editorWindows().size() == before + 1);
                assertEquals(docId, app.editorWindows().get(before).info().id());

                // with a file (a double-click on an exported document): imported into a new document
                Path file = dir.resolve("Meeting notes.md");
                java.nio.file.Files.writeString(file, "Agreed: ship on Friday\n");
                assertFalse(QuireApp.launch(home, null, file.toString()));
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> app.editorWindows().size() == before + 2);
                EditorWindow imported = app.editorWindows().get(before + 1);
                assertEquals("Meeting notes", imported.info().title());
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> imported.document().map(d -> {
                    synchronized (d.doc()) {
                        return d.doc().getText(dev.quire.engine.OpenDocument.TEXT).toString()
                                .startsWith("Agreed: ship on Friday");
                    }
                }).orElse(false));
            });
        }
    }

    /** Account > Sign out, in the menu bar of {@code window}. */
    static void signOutFromTheAccountMenu(FxRobot robot, Stage window) throws Exception {
        robot.interact(window::toFront);
        List<Node> menus = List.copyOf(robot.from(window.getScene().getRoot()).lookup(".menu-bar .menu").queryAll());
        robot.clickOn(menus.get(menus.size() - 1)); // Account is the last menu
        Clicks.on(robot, "#menuSignOut");
    }
}
