package dev.quire.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.net.DocumentsApi.DocumentInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The document list through its menus and dialogs, against a team server: a new workspace (and the list switches to
 * it), a document renamed, shared with bob as a reader (he sees it read-only), and deleted after confirming.
 */
class DocumentListTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void workspacesAndDocumentsAreManagedFromTheList() throws Exception {
        try (TeamServer team = new TeamServer(dir)) {
            team.run((app, robot) -> {
                TeamServer.signIn(robot, "alice", TeamServer.ALICE_PASSWORD);
                ListView<?> docs = robot.lookup("#documents").queryAs(ListView.class);
                DocumentListPane list = (DocumentListPane) docs.getParent();
                @SuppressWarnings("unchecked")
                ComboBox<dev.quire.net.DocumentsApi.WorkspaceInfo> workspaces =
                        robot.lookup("#workspaces").queryAs(ComboBox.class);
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> workspaces.getValue() != null);
                assertEquals("My documents", workspaces.getValue().name());

                menu(robot, docs, 0, "#newWorkspace");
                answer(robot, "Drafts");
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> workspaces.getValue() != null
                        && workspaces.getValue().name().equals("Drafts"));

                Clicks.on(robot, "#newDocument"); // into the workspace shown
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> app.editorWindows().size() == 1);
                robot.interact(() -> app.editorWindows().get(0).closeWindow());
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> list.shown().size() == 1);
                robot.interact(() -> docs.getSelectionModel().select(0));

                menu(robot, docs, 1, "#rename");
                answer(robot, "Chapter one");
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> list.shown().size() == 1
                        && list.shown().get(0).title().equals("Chapter one"));
                DocumentInfo chapter = list.shown().get(0);

                robot.interact(() -> docs.getSelectionModel().select(0));
                menu(robot, docs, 1, "#share");
                Clicks.on(robot, "#shareUser").write("bob");
                robot.interact(() -> robot.lookup("#shareRole").queryAs(javafx.scene.control.ChoiceBox.class)
                        .setValue("reader"));
                Clicks.on(robot, "#shareAdd");
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#shares")
                        .queryAs(ListView.class).getItems().size() == 1);
                assertEquals("Shared with bob as reader",
                        robot.lookup("#shareMessage").queryAs(javafx.scene.control.Label.class).getText());
                robot.interact(() -> ((javafx.stage.Stage) robot.lookup("#shares").query().getScene().getWindow())
                        .close());
                assertEquals("reader", team.server.users().byName("bob").map(u -> roleOf(team, chapter.id()))
                        .orElseThrow());

                robot.interact(() -> docs.getSelectionModel().select(0));
                menu(robot, docs, 1, "#delete");
                confirm(robot, "Delete");
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> list.shown().isEmpty());
                assertTrue(roleOf(team, chapter.id()).equals("none"), "gone for bob too");
            });
        }
    }

    /** Bob's role on a document, as the server's list for him says ("none" when he has no such document). */
    private static String roleOf(TeamServer team, String docId) {
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            String token = json.readTree(http.send(java.net.http.HttpRequest.newBuilder(team.server.httpUrl()
                    .resolve("/auth/token")).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=password&username=bob"
                            + "&password=" + TeamServer.BOB_PASSWORD)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body()).get("access_token").asText();
            for (var d : json.readTree(http.send(java.net.http.HttpRequest.newBuilder(team.server.httpUrl()
                    .resolve("/docs")).header("Authorization", "Bearer " + token).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body()).get("documents")) {
                if (d.get("id").asText().equals(docId)) {
                    return d.get("role").asText();
                }
            }
            return "none";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code index}th menu of the list's window, then its item {@code itemId}. */
    private static void menu(FxRobot robot, Node inList, int index, String itemId) throws Exception {
        QuireAppTest.clickMenuItem(robot, inList, index, itemId);
    }

    /** Types into the open text dialog and presses OK. */
    private static void answer(FxRobot robot, String text) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#answer").tryQuery().isPresent());
        TextField field = robot.lookup("#answer").queryAs(TextField.class);
        robot.interact(() -> field.setText(text));
        confirm(robot, "OK");
    }

    /** Clicks the dialog button with this text. */
    private static void confirm(FxRobot robot, String button) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> buttons(robot).stream()
                .anyMatch(b -> b.getText().equals(button)));
        robot.clickOn(buttons(robot).stream().filter(b -> b.getText().equals(button)).findFirst().orElseThrow());
    }

    private static List<Button> buttons(FxRobot robot) {
        return robot.lookup(".dialog-pane").queryAll().stream()
                .flatMap(p -> ((DialogPane) p).getButtonTypes().stream().map(t -> ((DialogPane) p).lookupButton(t)))
                .filter(b -> b instanceof Button && b.getScene() != null).map(Button.class::cast).toList();
    }
}
