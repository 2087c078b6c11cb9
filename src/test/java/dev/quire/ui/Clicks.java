package dev.quire.ui;

import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Clicks by CSS query, robustly: TestFX's {@code clickOn(String)} filters every match by visibility and fails on a
 * match that is between scenes at that instant; this waits for one node in a scene and clicks that node.
 */
final class Clicks {
    private Clicks() {
    }

    static FxRobot on(FxRobot robot, String query) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup(query).queryAll().stream()
                .anyMatch(n -> n.getScene() != null && n.isVisible()));
        Node node = robot.lookup(query).queryAll().stream().filter(n -> n.getScene() != null && n.isVisible())
                .findFirst().orElseThrow();
        return (FxRobot) robot.clickOn(node);
    }
}
