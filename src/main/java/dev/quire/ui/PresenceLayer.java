package dev.quire.ui;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.crdt.AbsolutePosition;
import dev.quire.crdt.Doc;
import dev.quire.crdt.RelativePosition;
import dev.quire.crdt.YText;
import dev.quire.engine.OpenDocument;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.scene.paint.Color;
import org.fxmisc.richtext.Caret;
import org.fxmisc.richtext.CaretNode;
import org.fxmisc.richtext.GenericStyledArea;

/**
 * Presence in a document window (issue 7): this window's caret goes out as awareness state, others' carets are drawn
 * in their colours, and a line says who is here. Positions travel as Yjs relative positions (JSON, as y-quill and
 * y-prosemirror send them), so a caret stays on its character while others type; they are resolved to indexes
 * again whenever the text or the states change.
 */
final class PresenceLayer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GenericStyledArea<?, String, ?> area;
    private final OpenDocument document;
    private final YText text;
    private final String color;
    private final javafx.scene.layout.HBox here = new javafx.scene.layout.HBox(6);
    private final List<CaretNode> drawn = new ArrayList<>();
    private final List<org.fxmisc.richtext.Selection<?, String, ?>> selections = new ArrayList<>();
    private Map<Long, String> states = Map.of(); // JavaFX thread

    PresenceLayer(GenericStyledArea<?, String, ?> area, OpenDocument document, String userId) {
        this.area = area;
        this.document = document;
        this.color = colorOf(userId);
        Doc doc = document.doc();
        synchronized (doc) {
            this.text = doc.getText(OpenDocument.TEXT);
        }
        here.setId("here");
        here.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        here.setAccessibleText("Who is here");
        area.caretPositionProperty().addListener((o, was, now) -> publish());
        area.anchorProperty().addListener((o, was, now) -> publish());
        // each change moves the others' carets; the change event is cheap, where the text property is the whole text
        area.plainTextChanges().subscribe(change -> redraw());
        document.addPresenceListener(map -> Platform.runLater(() -> {
            states = map;
            redraw();
        }));
        publish();
    }

    /** "Here: ● alice ● bob": the names the server stamped on the others' states, each in their caret's colour. */
    javafx.scene.layout.HBox whoIsHere() {
        return here;
    }

    private void publish() {
        int anchor = area.getAnchor();
        int head = area.getCaretPosition();
        Map<String, Object> cursor = new LinkedHashMap<>();
        synchronized (document.doc()) {
            cursor.put("anchor", RelativePosition.fromIndex(text, anchor).toJson());
            cursor.put("head", RelativePosition.fromIndex(text, head).toJson());
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("user", Map.of("color", color));
        state.put("cursor", cursor);
        try {
            document.setPresence(JSON.writeValueAsString(state));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void redraw() {
        for (CaretNode c : drawn) {
            area.removeCaret(c);
        }
        drawn.clear();
        for (var sel : selections) {
            removeSelection(sel);
        }
        selections.clear();
        List<Label> names = new ArrayList<>();
        for (Map.Entry<Long, String> e : states.entrySet()) {
            JsonNode state;
            try {
                state = JSON.readTree(e.getValue());
            } catch (java.io.IOException bad) {
                continue; // a peer's malformed state hides its caret, nothing else
            }
            Color c = colorOrDefault(state.path("user").path("color").asText(""));
            Label name = new Label(state.path("user").path("name").asText("someone"));
            name.setGraphic(new javafx.scene.shape.Circle(4, c));
            name.getStyleClass().add("present");
            names.add(name);
            JsonNode head = state.path("cursor").path("head");
            if (!head.isObject()) {
                continue;
            }
            int index = resolve(head);
            if (index < 0 || index > area.getLength()) {
                continue;
            }
            int anchor = state.path("cursor").path("anchor").isObject() ? resolve(state.path("cursor").path("anchor"))
                    : index;
            if (anchor >= 0 && anchor <= area.getLength() && anchor != index) {
                org.fxmisc.richtext.SelectionImpl<?, String, ?> sel = new org.fxmisc.richtext.SelectionImpl<>(
                        "presence-selection-" + e.getKey(), area, path -> {
                            path.setHighlightFill(c.deriveColor(0, 1, 1, 0.25));
                            path.setStrokeWidth(0);
                        });
                sel.selectRange(Math.min(anchor, index), Math.max(anchor, index));
                addSelection(sel);
                selections.add(sel);
            }
            CaretNode caret = new CaretNode("presence-" + e.getKey(), area, index);
            caret.setStroke(c);
            caret.setStrokeWidth(2);
            caret.setShowCaret(Caret.CaretVisibility.ON);
            area.addCaret(caret);
            drawn.add(caret);
        }
        here.getChildren().setAll(names);
        if (!names.isEmpty()) {
            here.getChildren().add(0, new Label("Here:"));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void addSelection(org.fxmisc.richtext.Selection sel) {
        area.addSelection(sel);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void removeSelection(org.fxmisc.richtext.Selection sel) {
        area.removeSelection(sel);
        sel.dispose();
    }

    /** A peer's colour as it sent it, or the palette's first when it sent none or nonsense. */
    private static Color colorOrDefault(String web) {
        try {
            return Color.web(web, 1.0);
        } catch (IllegalArgumentException | NullPointerException bad) {
            return Color.web("#e0457b");
        }
    }

    /** A relative position (JSON) as an index in the text now, or -1 if it no longer resolves. */
    private int resolve(JsonNode relative) {
        try {
            Map<String, Object> json = JSON.convertValue(relative, new TypeReference<Map<String, Object>>() { });
            synchronized (document.doc()) {
                AbsolutePosition abs = RelativePosition.fromJson(json).toAbsolute(document.doc());
                return abs == null ? -1 : abs.index();
            }
        } catch (RuntimeException bad) {
            return -1;
        }
    }

    /** A stable colour per user, from a small palette that reads on white. */
    static String colorOf(String userId) {
        String[] palette = {"#e0457b", "#2f7de1", "#1f9d55", "#d97706", "#7c3aed", "#0891b2", "#b91c1c", "#4d7c0f"};
        return palette[Math.floorMod(userId.hashCode(), palette.length)];
    }
}
