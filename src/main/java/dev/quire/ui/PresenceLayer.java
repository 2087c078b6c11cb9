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
import java.util.HashMap;
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
    // JavaFX thread, all of them
    private List<Peer> peers = List.of();
    private final Map<Long, CaretNode> carets = new HashMap<>();
    private final Map<Long, org.fxmisc.richtext.Selection<?, String, ?>> selections = new HashMap<>();
    private List<String> shownNames = List.of();
    private final Runnable publishSoon = new Soon(this::publish);
    private final Runnable moveSoon = new Soon(this::moveCarets);

    /**
     * Another client's state, parsed once when it arrives; head and anchor are null when it sent none. The caret's
     * style is inline, as the theme's stylesheet sets every caret's stroke and would win over a plain setStroke.
     */
    private record Peer(long clientId, Color color, String name, RelativePosition head, RelativePosition anchor,
                        String caretStyle) {
    }

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
        // A keystroke moves both the caret and the anchor: one state goes out for both, after the event.
        area.caretPositionProperty().addListener((o, was, now) -> publishSoon.run());
        area.anchorProperty().addListener((o, was, now) -> publishSoon.run());
        // Each change moves the others' carets: the nodes stay, their positions are worked out again once the area
        // has shifted them itself (it moves every caret past an edit before it, the way it does this window's)
        area.plainTextChanges().subscribe(change -> moveSoon.run());
        document.addPresenceListener(map -> {
            List<Peer> parsed = parse(map); // on the connection's thread, not the JavaFX one
            Platform.runLater(() -> show(parsed));
        });
        publish();
    }

    /** "Here: ● alice ● bob": the names the server stamped on the others' states, each in their caret's colour. */
    javafx.scene.layout.HBox whoIsHere() {
        return here;
    }

    /** Runs an action once, soon, on the JavaFX thread, however often it is asked for until then. */
    private static final class Soon implements Runnable {
        private final Runnable action;
        private boolean queued; // JavaFX thread

        Soon(Runnable action) {
            this.action = action;
        }

        @Override
        public void run() {
            if (!queued) {
                queued = true;
                Platform.runLater(() -> {
                    queued = false;
                    action.run();
                });
            }
        }
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

    private static List<Peer> parse(Map<Long, String> states) {
        List<Peer> out = new ArrayList<>();
        for (Map.Entry<Long, String> e : states.entrySet()) {
            JsonNode state;
            try {
                state = JSON.readTree(e.getValue());
            } catch (java.io.IOException bad) {
                continue; // a peer's malformed state hides its caret, nothing else
            }
            JsonNode cursor = state.path("cursor");
            RelativePosition head = relative(cursor.path("head"));
            RelativePosition anchor = relative(cursor.path("anchor"));
            Color color = colorOrDefault(state.path("user").path("color").asText(""));
            out.add(new Peer(e.getKey(), color, state.path("user").path("name").asText("someone"), head,
                    head == null ? null : anchor, "-fx-stroke: " + web(color) + "; -fx-stroke-width: 2;"));
        }
        return out;
    }

    /** Others' states changed: carets follow them (new ones drawn, gone ones removed), and the names. */
    private void show(List<Peer> now) {
        peers = now;
        java.util.Set<Long> gone = new java.util.HashSet<>(carets.keySet());
        gone.addAll(selections.keySet());
        for (Peer p : now) {
            gone.remove(p.clientId());
        }
        gone.forEach(this::hide);
        moveCarets();
        List<String> names = new ArrayList<>();
        for (Peer p : now) {
            names.add(p.name() + "\u0000" + p.color());
        }
        if (!names.equals(shownNames)) { // the status bar is laid out again only when who is here changes
            shownNames = names;
            List<Label> labels = new ArrayList<>();
            for (Peer p : now) {
                Label name = new Label(p.name());
                name.setGraphic(new javafx.scene.shape.Circle(4, p.color()));
                name.getStyleClass().add("present");
                labels.add(name);
            }
            here.getChildren().setAll(labels);
            if (!labels.isEmpty()) {
                here.getChildren().add(0, new Label("Here:"));
            }
        }
    }

    /** Puts each peer's caret and selection where its relative positions resolve in the text now. */
    private void moveCarets() {
        for (Peer p : peers) {
            int index = p.head() == null ? -1 : resolve(p.head());
            if (index < 0 || index > area.getLength()) {
                hide(p.clientId());
                continue;
            }
            CaretNode caret = carets.get(p.clientId());
            if (caret == null) {
                caret = new CaretNode("presence-" + p.clientId(), area, index);
                caret.setShowCaret(Caret.CaretVisibility.ON);
                area.addCaret(caret);
                carets.put(p.clientId(), caret);
            } else if (caret.getPosition() != index) {
                caret.moveTo(index);
            }
            if (!p.caretStyle().equals(caret.getStyle())) {
                caret.setStyle(p.caretStyle());
            }
            int anchor = p.anchor() == null ? index : resolve(p.anchor());
            var sel = selections.get(p.clientId());
            if (anchor < 0 || anchor > area.getLength() || anchor == index) {
                if (sel != null) {
                    removeSelection(selections.remove(p.clientId()));
                }
                continue;
            }
            if (sel == null) {
                Color c = p.color();
                org.fxmisc.richtext.SelectionImpl<?, String, ?> made = new org.fxmisc.richtext.SelectionImpl<>(
                        "presence-selection-" + p.clientId(), area, path -> {
                            path.setHighlightFill(c.deriveColor(0, 1, 1, 0.25));
                            path.setStrokeWidth(0);
                        });
                addSelection(made);
                selections.put(p.clientId(), made);
                sel = made;
            }
            sel.selectRange(Math.min(anchor, index), Math.max(anchor, index));
        }
    }

    private void hide(long clientId) {
        CaretNode caret = carets.remove(clientId);
        if (caret != null) {
            area.removeCaret(caret);
        }
        var sel = selections.remove(clientId);
        if (sel != null) {
            removeSelection(sel);
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

    /** A relative position as sent (JSON), or null when it is missing or does not parse. */
    private static RelativePosition relative(JsonNode json) {
        if (!json.isObject()) {
            return null;
        }
        try {
            return RelativePosition.fromJson(JSON.convertValue(json, new TypeReference<Map<String, Object>>() { }));
        } catch (RuntimeException bad) {
            return null;
        }
    }

    /** A relative position as an index in the text now, or -1 if it no longer resolves. */
    private int resolve(RelativePosition relative) {
        try {
            synchronized (document.doc()) {
                AbsolutePosition abs = relative.toAbsolute(document.doc());
                return abs == null ? -1 : abs.index();
            }
        } catch (RuntimeException bad) {
            return -1;
        }
    }

    private static String web(Color c) {
        return String.format("#%02x%02x%02x", Math.round(c.getRed() * 255), Math.round(c.getGreen() * 255),
                Math.round(c.getBlue() * 255));
    }

    /** A stable colour per user, from a small palette that reads on white. */
    static String colorOf(String userId) {
        String[] palette = {"#e0457b", "#2f7de1", "#1f9d55", "#d97706", "#7c3aed", "#0891b2", "#b91c1c", "#4d7c0f"};
        return palette[Math.floorMod(userId.hashCode(), palette.length)];
    }
}
