package dev.quire.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import org.fxmisc.richtext.StyleClassedTextArea;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue 7: the status bar tells the truth. The network is cut through a fault proxy: typing goes on, the bar counts
 * the edits kept on this computer; the network is back and "retry now" is clicked: saved, and the server has every
 * edit.
 */
class StatusBarTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void offlineTypingIsCountedThenSavedWhenTheNetworkIsBack() throws Exception {
        try (TeamServer team = new TeamServer(dir)) {
            team.run((app, robot) -> {
                Label status = team.aliceTypesOnlineThenOffline(robot);
                assertEquals("abcdef", robot.lookup("#editor").queryAs(StyleClassedTextArea.class).getText());
                assertTrue(robot.lookup("#retryNow").query().isVisible());

                team.syncProxy.refuse(false);
                Clicks.on(robot, "#retryNow");
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> status.getText().equals("Saved · online"));
                assertEquals("abcdef", team.aliceText(0));
            });
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void pastingAMegabyteOfTextReachesTheServerAndTypingGoesOnAfterIt() throws Exception {
        try (TeamServer team = new TeamServer(dir)) {
            team.run((app, robot) -> {
                TeamServer.signIn(robot, "alice", TeamServer.ALICE_PASSWORD);
                Clicks.on(robot, "#newDocument");
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#editor").tryQuery().isPresent());
                StyleClassedTextArea area = robot.lookup("#editor").queryAs(StyleClassedTextArea.class);
                Label status = robot.lookup("#status").queryAs(Label.class);
                String megabyte = UiBenchmark.prose(1_000_000, new java.util.Random(5));
                robot.interact(() -> area.replaceSelection(megabyte)); // what Shortcut+V does with the clipboard
                Clicks.on(robot, "#editor"); // a click, then typing goes on as usual
                robot.interact(() -> area.moveTo(area.getLength()));
                robot.write("!");
                WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> status.getText().equals("Saved · online"));
                assertEquals(megabyte + "!", area.getText());
                assertEquals(megabyte + "!", team.aliceText(0));
            });
        }
    }

    /**
     * In the editor window opened last: types "abc" until the bar says it is saved online, cuts the network and types
     * "def": the bar counts the 3 edits kept on this computer (typing never blocks). Returns the status bar.
     */
    static Label abcSavedThenDefOffline(FxRobot robot, TeamServer team) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#editor").tryQuery().isPresent());
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.Node front = TeamServer.windowRoots().stream()
                .filter(r -> !robot.from(r).lookup("#editor").queryAll().isEmpty())
                .reduce((a, b) -> b).orElseThrow();
        Label status = robot.from(front).lookup("#status").queryAs(Label.class);
        robot.clickOn(robot.from(front).lookup("#editor").queryAs(StyleClassedTextArea.class)).write("abc");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> status.getText().equals("Saved · online"));
        team.syncProxy.refuse(true); // the network drops
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> status.getText().startsWith("Reconnecting"));
        robot.write("def"); // no second click: a fast one would select the word
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> status.getText().endsWith("3 edits saved on this computer"));
        return status;
    }
}
