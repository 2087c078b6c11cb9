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
    private final Label here = new Label();
    private final List<CaretNode> drawn = new ArrayList<>();
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
        area.caretPositionProperty().addListener((o, was, now) -> publish());
        area.textProperty().addListener((o, was, now) -> redraw());
        document.addPresenceListener(map -> Platform.runLater(() -> {
            states = map;
            redraw();
        }));
        publish();
    }

    /** "Here: alice, bob": the names the server stamped on the others' states. */
    Label whoIsHere() {
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
        List<String> names = new ArrayList<>();
        for (Map.Entry<Long, String> e : states.entrySet()) {
            JsonNode state;
            try {
                state = JSON.readTree(e.getValue());
            } catch (java.io.IOException bad) {
                continue; // a peer's malformed state hides its caret, nothing else
            }
            names.add(state.path("user").path("name").asText("someone"));
            JsonNode head = state.path("cursor").path("head");
            if (!head.isObject()) {
                continue;
            }
            int index = resolve(head);
            if (index < 0 || index > area.getLength()) {
                continue;
            }
            CaretNode caret = new CaretNode("presence-" + e.getKey(), area, index);
            caret.setStroke(Color.web(state.path("user").path("color").asText("#e0457b"), 1.0));
            caret.setStrokeWidth(2);
            caret.setShowCaret(Caret.CaretVisibility.ON);
            area.addCaret(caret);
            drawn.add(caret);
        }
        here.setText(names.isEmpty() ? "" : "Here: " + String.join(", ", names));
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
