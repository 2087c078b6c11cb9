package dev.quire.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.fxmisc.richtext.StyleClassedTextArea;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The RichTextFX area and the document's text stay the same, typing here and editing elsewhere at once (headless). */
@ExtendWith(ApplicationExtension.class)
class TextBindingTest {
    private static final String REMOTE = "remote"; // not Object: TestFX fills Object fields with itself
    private final Doc doc = new Doc();
    private StyleClassedTextArea area;
    private TextBinding binding;

    @Start
    void start(Stage stage) {
        area = new StyleClassedTextArea();
        binding = TextBinding.bind(area, doc, "text");
        stage.setScene(new Scene(area, 400, 200));
        stage.show();
    }

    @Test
    void typingReachesTheTextAndOthersEditsReachTheAreaWithoutUndoingTheTyping(FxRobot robot) throws Exception {
        robot.clickOn(area).write("hello");
        assertEquals("hello", text(doc));

        Doc other = new Doc(); // another client, synced from this one
        Updates.applyUpdate(other, state(doc), REMOTE);
        other.getText("text").insert(5, " world");
        applyFromOther(other);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> area.getText().equals("hello world"));

        // the user types while another edit is on its way to the JavaFX thread
        other.getText("text").insert(0, ">> ");
        robot.interact(() -> {
            area.appendText("!");
            applyFromOther(other); // arrives before the area heard of it
        });
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> area.getText().equals(">> hello world!"));
        assertEquals(">> hello world!", text(doc));
        Updates.applyUpdate(other, state(doc), REMOTE);
        assertEquals(">> hello world!", other.getText("text").toString(), "the other side has the typing too");
    }

    @Test
    void theCaretStaysOnItsCharacterWhenOthersTypeBeforeAndAfterIt(FxRobot robot) throws Exception {
        robot.clickOn(area).write("hello world");
        robot.interact(() -> area.moveTo(6)); // before "world"
        Doc other = new Doc();
        Updates.applyUpdate(other, state(doc), REMOTE);
        other.getText("text").insert(11, "!!!"); // after the caret
        other.getText("text").insert(0, ">> "); // before it
        other.getText("text").delete(3, 1); // and a deletion before it
        robot.interact(() -> applyFromOther(other));
        assertEquals(">> ello world!!!", area.getText());
        assertEquals(8, area.getCaretPosition(), "still before \"world\"");
        robot.write("big ");
        assertEquals(">> ello big world!!!", text(doc));
    }

    @Test
    void undoTakesBackOnlyThisWindowsEditsAndRedoBringsThemBack(FxRobot robot) throws Exception {
        robot.clickOn(area).write("abc");
        Doc other = new Doc();
        Updates.applyUpdate(other, state(doc), REMOTE);
        other.getText("text").insert(0, "X");
        applyFromOther(other);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> area.getText().equals("Xabc"));

        robot.press(KeyCode.CONTROL, KeyCode.Z).release(KeyCode.Z, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> area.getText().equals("X"));
        assertEquals("X", text(doc), "the other's X stays");

        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.Z).release(KeyCode.Z, KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> area.getText().equals("Xabc"));
        assertEquals("Xabc", text(doc));
    }

    @Test
    void formattingIsStoredAsYjsAttributesAndOthersFormattingIsShown(FxRobot robot) throws Exception {
        robot.clickOn(area).write("hello world");
        robot.interact(() -> area.selectRange(0, 5));
        robot.press(KeyCode.CONTROL, KeyCode.B).release(KeyCode.B, KeyCode.CONTROL);
        synchronized (doc) {
            assertEquals(List.of(Map.of("insert", "hello", "attributes", Map.of("bold", true)),
                    Map.of("insert", " world")), doc.getText("text").toDelta());
        }
        assertTrue(area.getStyleAtPosition(2).contains("bold"), area.getStyleAtPosition(2).toString());

        Doc other = new Doc();
        Updates.applyUpdate(other, state(doc), REMOTE);
        other.getText("text").format(6, 5, Map.of("italic", true)); // another editor makes "world" italic
        applyFromOther(other);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> area.getStyleAtPosition(8).contains("italic"));
        assertTrue(!area.getStyleAtPosition(8).contains("bold"));

        robot.interact(() -> area.selectRange(0, 5));
        robot.press(KeyCode.CONTROL, KeyCode.B).release(KeyCode.B, KeyCode.CONTROL); // all bold already: off
        assertTrue(area.getStyleAtPosition(2).isEmpty(), area.getStyleAtPosition(2).toString());
        assertEquals("hello", text(doc).substring(0, 5));
    }

    @Test
    void paragraphFormatsFollowNewLinesTypedHereAndEditsMadeElsewhere(FxRobot robot) throws Exception {
        robot.clickOn(area).write("Title");
        robot.interact(() -> binding.paragraph("header", 1));
        robot.interact(() -> area.moveTo(5));
        robot.type(KeyCode.ENTER).write("body"); // Enter at the end of a heading: the next line is normal text
        WaitForAsyncUtils.waitForFxEvents();
        synchronized (doc) {
            assertEquals("[{insert=Title}, {insert=\n, attributes={header=1}}, {insert=body\n}]",
                    doc.getText("text").toDelta().toString());
        }
        assertEquals(List.of("h1"), List.copyOf(area.getParagraph(0).getParagraphStyle()));
        assertTrue(area.getParagraph(1).getParagraphStyle().isEmpty());

        robot.interact(() -> binding.paragraph("list", "bullet"));
        robot.interact(() -> area.moveTo(10));
        robot.type(KeyCode.ENTER).write("more"); // Enter in a list item: the list goes on
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of("bullet"), List.copyOf(area.getParagraph(1).getParagraphStyle()));
        assertEquals(List.of("bullet"), List.copyOf(area.getParagraph(2).getParagraphStyle()));

        // elsewhere: a new heading line inserted at the start, and the first two paragraphs joined
        Doc other = new Doc();
        Updates.applyUpdate(other, state(doc), REMOTE);
        other.getText("text").insert(0, "Intro\n", Map.of("header", 2));
        robot.interact(() -> applyFromOther(other));
        assertEquals("Intro\nTitle\nbody\nmore\n", area.getText());
        assertEquals(List.of("h2"), List.copyOf(area.getParagraph(0).getParagraphStyle()));
        assertEquals(List.of("h1"), List.copyOf(area.getParagraph(1).getParagraphStyle()));
        other.getText("text").delete(5, 1); // "IntroTitle": the joined paragraph ends with Title's newline
        robot.interact(() -> applyFromOther(other));
        assertEquals("IntroTitle\nbody\nmore\n", area.getText());
        assertEquals(List.of("h1"), List.copyOf(area.getParagraph(0).getParagraphStyle()));
        assertEquals(List.of("bullet"), List.copyOf(area.getParagraph(1).getParagraphStyle()));
    }

    @Test
    void replaceAllIsOneEditThatOneUndoTakesBack(FxRobot robot) throws Exception {
        robot.clickOn(area).write("a cat, a Cat, a dog");
        int[] n = new int[1];
        robot.interact(() -> n[0] = binding.replaceAll("cat", "bird"));
        assertEquals(2, n[0]);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> area.getText().equals("a bird, a bird, a dog"));
        robot.interact(binding::undo);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> area.getText().equals("a cat, a Cat, a dog"));
        assertEquals("a cat, a Cat, a dog", text(doc));
    }

    private void applyFromOther(Doc other) {
        synchronized (doc) {
            Updates.applyUpdate(doc, state(other), REMOTE);
        }
    }

    private static byte[] state(Doc d) {
        synchronized (d) {
            return Updates.encodeStateAsUpdate(d);
        }
    }

    private static String text(Doc d) {
        synchronized (d) {
            return d.getText("text").toString();
        }
    }
}
