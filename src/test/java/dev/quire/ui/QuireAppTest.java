package dev.quire.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.app.LocalServer;
import dev.quire.engine.Account;
import dev.quire.engine.ClientEngine;
import dev.quire.engine.OpenDocument;
import dev.quire.net.DocumentsApi;
import dev.quire.store.Profiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import org.fxmisc.richtext.StyleClassedTextArea;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The app "On this computer", headless: its own embedded server and account, a new document typed into through the
 * real window, and a second client (the engine, signed in to the same server) that sees the text and types back.
 */
class QuireAppTest {
    @TempDir
    Path dir;

    @Test
    @org.junit.jupiter.api.Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aNewDocumentTypedIntoOnThisComputerIsSavedOnlineAndSharedWithAnotherClient() throws Exception {
        FxToolkit.registerPrimaryStage();
        QuireApp app = (QuireApp) FxToolkit.setupApplication(() -> new QuireApp(dir.resolve("home"), null));
        FxRobot robot = new FxRobot();
        try {
            Clicks.on(robot, "#onThisComputer"); // the first start's choice
            Clicks.on(robot, "#newDocument");
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#editor").tryQuery().isPresent());
            Clicks.on(robot, "#editor").write("hello");
            StyleClassedTextArea editor = robot.lookup("#editor").queryAs(StyleClassedTextArea.class);
            Label status = robot.lookup("#status").queryAs(Label.class);
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> status.getText().equals("Saved · online"));
            assertTrue(Files.exists(dir.resolve("home").resolve("local-server")), "its own server's folder");

            LocalServer.Account local = app.localAccount();
            ClientEngine.Environment env = ClientEngine.Environment.system().withVaultsInProfiles();
            try (ClientEngine other = ClientEngine.connect(local.url(), Profiles.at(dir.resolve("other")), env)
                    .get(30, TimeUnit.SECONDS)) {
                Account account = other.signIn(local.user(), local.password().clone()).get(60, TimeUnit.SECONDS);
                List<DocumentsApi.DocumentInfo> docs = account.documents().get(30, TimeUnit.SECONDS);
                assertEquals(1, docs.size());
                OpenDocument doc = account.open(docs.get(0).id());
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text(doc).equals("hello"));
                synchronized (doc.doc()) {
                    doc.doc().getText(OpenDocument.TEXT).insert(5, ", world");
                }
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> editor.getText().equals("hello, world"));
                WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS,
                        () -> robot.lookup("#words").queryAs(Label.class).getText().equals("2 words"));

                // presence both ways: the other client's caret is drawn with its name listed; the window's goes out
                String at5;
                synchronized (doc.doc()) {
                    at5 = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(java.util.Map.of(
                            "user", java.util.Map.of("color", "#2f7de1"), "cursor", java.util.Map.of("head",
                                    dev.quire.crdt.RelativePosition.fromIndex(doc.doc().getText(OpenDocument.TEXT), 5)
                                            .toJson())));
                }
                doc.setPresence(at5);
                javafx.scene.layout.HBox here = robot.lookup("#here").queryAs(javafx.scene.layout.HBox.class);
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> here.getChildren().stream()
                        .map(n -> ((Label) n).getText()).toList().equals(List.of("Here:", local.user())));
                // the other caret is drawn beside the own one (its node joins the area at the next layout pulse)
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> editor.lookupAll(".caret").size() >= 2);
                // it stays on its character while text is typed before it (the same node, moved)
                org.fxmisc.richtext.CaretNode theirs = editor.lookupAll(".caret").stream()
                        .filter(n -> n instanceof org.fxmisc.richtext.CaretNode c && c != editor.getCaretSelectionBind()
                                .getUnderlyingCaret()).map(org.fxmisc.richtext.CaretNode.class::cast)
                        .findFirst().orElseThrow();
                assertEquals(5, theirs.getPosition());
                // drawn in the colour it sent (styled at the pulse after it joined the area)
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                        () -> javafx.scene.paint.Color.web("#2f7de1").equals(theirs.getStroke()));
                synchronized (doc.doc()) {
                    doc.doc().getText(OpenDocument.TEXT).insert(0, ">>");
                }
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> editor.getText().startsWith(">>"));
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> theirs.getPosition() == 7);
                synchronized (doc.doc()) {
                    doc.doc().getText(OpenDocument.TEXT).delete(0, 2);
                }
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> theirs.getPosition() == 5);
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> doc.presence().values().stream()
                        .anyMatch(state -> state.contains("\"cursor\"")));

                // formats: bold by its key, a heading from the Format menu; stored as the attributes Yjs editors use
                robot.interact(() -> editor.selectRange(0, 5));
                robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.B)
                        .release(javafx.scene.input.KeyCode.B, javafx.scene.input.KeyCode.CONTROL);
                clickMenuItem(robot, editor, 2, "#menuH1");
                String formatted = "[{insert=hello, attributes={bold=true}}, {insert=, world},"
                        + " {insert=\n, attributes={header=1}}]";
                try {
                    // compared as text: a number read from the wire may be another Number type of the same value
                    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                            () -> delta(doc).toString().equals(formatted));
                } catch (java.util.concurrent.TimeoutException e) {
                    assertEquals(formatted, delta(doc).toString());
                }
                assertTrue(editor.getParagraph(0).getParagraphStyle().contains("h1"));
                doc.close();
            } finally {
                env.loop().shutdownNow();
            }

            // find and replace: Shortcut+F, Enter selects the match, "Replace all" is one edit that the other side sees
            Clicks.on(robot, "#editor").press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.F)
                    .release(javafx.scene.input.KeyCode.F, javafx.scene.input.KeyCode.CONTROL);
            robot.write("WORLD").type(javafx.scene.input.KeyCode.ENTER);
            assertEquals("world", editor.getSelectedText());
            assertEquals("1 match", robot.lookup("#matches").queryAs(Label.class).getText());
            Clicks.on(robot, "#replace").write("there");
            Clicks.on(robot, "#replaceAll");
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> editor.getText().equals("hello, there\n"));

            // a second window on the same document (its own connection) shows the same text and formats
            robot.interact(() -> robot.lookup("#documents").query().getScene().getWindow().requestFocus());
            robot.interact(() -> ((javafx.stage.Stage) robot.lookup("#documents").query().getScene().getWindow())
                    .toFront());
            robot.doubleClickOn(robot.from(robot.lookup("#documents").<javafx.scene.Node>query()).lookup(".list-cell").nth(0)
                    .queryAs(javafx.scene.Node.class));
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#editor").queryAll().size() == 2);
            StyleClassedTextArea second = robot.lookup("#editor").queryAll().stream()
                    .map(StyleClassedTextArea.class::cast).filter(a -> a != editor).findFirst().orElseThrow();
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> second.getText().equals("hello, there\n"));
            assertTrue(second.getStyleAtPosition(2).contains("bold"), second.getStyleAtPosition(2).toString());
            assertTrue(second.getParagraph(0).getParagraphStyle().contains("h1"));
            robot.interact(() -> second.getScene().getWindow().hide());

            // the usual keys: Shortcut+N opens a second, new document; Shortcut+W closes it again
            robot.interact(() -> ((javafx.stage.Stage) editor.getScene().getWindow()).toFront());
            robot.clickOn(editor).press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.N)
                    .release(javafx.scene.input.KeyCode.N, javafx.scene.input.KeyCode.CONTROL);
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#editor").queryAll().size() == 2);
            robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.W)
                    .release(javafx.scene.input.KeyCode.W, javafx.scene.input.KeyCode.CONTROL);
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#editor").queryAll().size() == 1);
        } finally {
            FxToolkit.cleanupStages();
            FxToolkit.cleanupApplication(app);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aServerOnThisComputerThatCannotStartIsSaidSoAndTheAppStaysUp() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        Files.writeString(home.resolve("local-server"), "a file where the server's folder goes");
        FxToolkit.registerPrimaryStage();
        QuireApp app = (QuireApp) FxToolkit.setupApplication(() -> new QuireApp(home, null));
        FxRobot robot = new FxRobot();
        try {
            Clicks.on(robot, "#onThisComputer");
            // started off the JavaFX thread: the window says it is starting, then why it could not
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#error").queryAll().stream()
                    .anyMatch(n -> ((Label) n).getText().startsWith("Quire could not start on this computer")));
            assertTrue(robot.lookup("#onThisComputer").tryQuery().isPresent(), "the way in is offered again");
            assertTrue(robot.lookup("#starting").tryQuery().isEmpty());
        } finally {
            FxToolkit.cleanupStages();
            FxToolkit.cleanupApplication(app);
        }
    }

    /** Clicks the {@code index}th menu of the window holding {@code inside}, then the item {@code itemId}. */
    static void clickMenuItem(FxRobot robot, javafx.scene.Node inside, int index, String itemId) throws Exception {
        robot.interact(() -> ((javafx.stage.Stage) inside.getScene().getWindow()).toFront());
        List<javafx.scene.Node> menus = List.copyOf(robot.from(inside.getScene().getRoot()).lookup(".menu-bar .menu")
                .queryAll());
        robot.clickOn(menus.get(index));
        Clicks.on(robot, itemId);
    }

    private static List<java.util.Map<String, Object>> delta(OpenDocument d) {
        synchronized (d.doc()) {
            return d.doc().getText(OpenDocument.TEXT).toDelta();
        }
    }

    private static String text(OpenDocument d) {
        synchronized (d.doc()) {
            return d.doc().getText(OpenDocument.TEXT).toString();
        }
    }
}
