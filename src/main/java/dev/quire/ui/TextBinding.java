package dev.quire.ui;

import dev.quire.crdt.Doc;
import dev.quire.crdt.UndoManager;
import dev.quire.crdt.YText;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javafx.scene.control.IndexRange;
import org.fxmisc.richtext.StyleClassedTextArea;
import org.fxmisc.richtext.model.StyleSpansBuilder;
import org.fxmisc.richtext.model.PlainTextChange;
import org.fxmisc.richtext.util.UndoUtils;
import org.reactfx.Subscription;

/**
 * Keeps a RichTextFX area and a document's {@link YText} the same (issue 7's text binding).
 *
 * <p>Local edits: each change of the area becomes one transaction on the text, on the JavaFX thread, under the
 * document's lock, with this binding as its origin. So the text holds every local edit the moment the area does.
 *
 * <p>Remote changes arrive on a socket's thread. They are not replayed as deltas, because their positions would be
 * stale once the user typed again before the JavaFX thread got to them. Instead, the JavaFX thread reads the whole
 * text and replaces only the span where it differs from the area. Since the text already holds every local edit,
 * that span is exactly what others changed. Changes coalesce: one pull however many updates came.
 */
public final class TextBinding {
    private final StyleClassedTextArea area;
    private final Doc doc;
    private final YText text;
    private final AtomicBoolean pullQueued = new AtomicBoolean();
    private boolean applyingRemote; // JavaFX thread only
    private final Subscription localChanges;
    private final Runnable stopObserving;
    /** Undo of this window's own edits only (Yjs's UndoManager, tracking this binding's transactions). */
    private final UndoManager undo;

    private TextBinding(StyleClassedTextArea area, Doc doc, String textName) {
        this.area = area;
        this.doc = doc;
        synchronized (doc) {
            this.text = doc.getText(textName);
            area.replaceText(text.toString());
        }
        renderFormatting();
        synchronized (doc) {
            this.undo = UndoManager.builder(text).trackOrigin(this).trackOrigin(replaceOrigin).build();
        }
        // the area's own undo would also undo what others typed: Shortcut+Z / Shift+Shortcut+Z / Shortcut+Y go here
        area.setUndoManager(UndoUtils.noOpUndoManager());
        area.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (UNDO.match(e)) {
                undo();
                e.consume();
            } else if (REDO.match(e) || REDO_Y.match(e)) {
                redo();
                e.consume();
            } else {
                for (Map.Entry<KeyCombination, String> f : FORMAT_KEYS.entrySet()) {
                    if (f.getKey().match(e)) {
                        toggle(f.getValue());
                        e.consume();
                    }
                }
            }
        });
        this.localChanges = area.plainTextChanges().subscribe(this::local);
        this.stopObserving = doc.onUpdate((update, origin, transaction) -> {
            if (origin != this && pullQueued.compareAndSet(false, true)) {
                Platform.runLater(this::pullRemote);
            }
        });
    }

    /** Binds {@code area} to the text {@code textName} of {@code doc}; call on the JavaFX thread. */
    public static TextBinding bind(StyleClassedTextArea area, Doc doc, String textName) {
        return new TextBinding(area, doc, textName);
    }

    private static final KeyCombination UNDO = new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination REDO = new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN,
            KeyCombination.SHIFT_DOWN);
    private static final KeyCombination REDO_Y = new KeyCodeCombination(KeyCode.Y, KeyCombination.SHORTCUT_DOWN);

    /** Inline formats and their keys; stored as Yjs text attributes of these names, as Quill-based editors do. */
    private static final Map<KeyCombination, String> FORMAT_KEYS = Map.of(
            new KeyCodeCombination(KeyCode.B, KeyCombination.SHORTCUT_DOWN), "bold",
            new KeyCodeCombination(KeyCode.I, KeyCombination.SHORTCUT_DOWN), "italic",
            new KeyCodeCombination(KeyCode.U, KeyCombination.SHORTCUT_DOWN), "underline");
    /** The attributes the area shows, each as the style class of the same name (quire.css). */
    static final List<String> SHOWN = List.of("bold", "italic", "underline", "strike", "code");

    /**
     * Turns {@code attribute} on for the selection, or off when the whole selection has it already (as editors do);
     * one transaction, with this window as its origin, so undo takes it back.
     */
    public void toggle(String attribute) {
        IndexRange sel = area.getSelection();
        if (sel.getLength() == 0) {
            return;
        }
        synchronized (doc) {
            boolean all = allHave(sel.getStart(), sel.getEnd(), attribute);
            Map<String, Object> change = new java.util.HashMap<>();
            change.put(attribute, all ? null : Boolean.TRUE);
            doc.transact(t -> text.format(sel.getStart(), sel.getLength(), change), this);
        }
        renderFormatting();
    }

    private boolean allHave(int start, int end, String attribute) {
        int at = 0;
        for (Map<String, Object> op : text.toDelta()) {
            Object insert = op.get("insert");
            int len = insert instanceof String str ? str.length() : 1;
            if (at < end && at + len > start) {
                Object attrs = op.get("attributes");
                if (!(attrs instanceof Map<?, ?> m) || !Boolean.TRUE.equals(m.get(attribute))) {
                    return false;
                }
            }
            at += len;
        }
        return true;
    }

    /** Shows the text's attributes as style classes over the whole area (documents here are small; see issue 7). */
    private void renderFormatting() {
        List<Map<String, Object>> delta;
        synchronized (doc) {
            delta = text.toDelta();
        }
        StyleSpansBuilder<Collection<String>> spans = new StyleSpansBuilder<>();
        int total = 0;
        for (Map<String, Object> op : delta) {
            Object insert = op.get("insert");
            int len = insert instanceof String str ? str.length() : 1;
            List<String> classes = new ArrayList<>();
            if (op.get("attributes") instanceof Map<?, ?> attrs) {
                for (String a : SHOWN) {
                    if (Boolean.TRUE.equals(attrs.get(a))) {
                        classes.add(a);
                    }
                }
            }
            spans.add(classes, len);
            total += len;
        }
        if (total == area.getLength() && total > 0) {
            area.setStyleSpans(0, spans.create());
        }
    }

    /**
     * Replaces every case-insensitive occurrence of {@code needle} with {@code replacement}, as one transaction with
     * this window as origin (so one undo takes it back); returns how many. The area follows as for a remote change.
     */
    public int replaceAll(String needle, String replacement) {
        if (needle.isEmpty()) {
            return 0;
        }
        int[] replaced = {0};
        synchronized (doc) {
            String hay = text.toString().toLowerCase(java.util.Locale.ROOT);
            String n = needle.toLowerCase(java.util.Locale.ROOT);
            List<Integer> at = new ArrayList<>();
            for (int i = hay.indexOf(n); i >= 0; i = hay.indexOf(n, i + n.length())) {
                at.add(i);
            }
            undo.stopCapturing(); // its own undo step, not merged with typing just before
            doc.transact(t -> {
                for (int k = at.size() - 1; k >= 0; k--) { // from the end: earlier indexes stay valid
                    text.delete(at.get(k), needle.length());
                    if (!replacement.isEmpty()) {
                        text.insert(at.get(k), replacement);
                    }
                }
            }, replaceOrigin);
            undo.stopCapturing(); // nor with typing just after
            replaced[0] = at.size();
        }
        return replaced[0];
    }

    /** The origin of a replace-all: tracked by the undo manager, but not this binding's (so the area pulls it). */
    private final Object replaceOrigin = new Object();

    /** Undoes this window's last own edit (others' edits stay); the area follows as for a remote change. */
    public void undo() {
        synchronized (doc) {
            undo.undo();
        }
    }

    /** Redoes what {@link #undo} took back. */
    public void redo() {
        synchronized (doc) {
            undo.redo();
        }
    }

    /** Stops following either side. */
    public void dispose() {
        localChanges.unsubscribe();
        stopObserving.run();
        synchronized (doc) {
            undo.destroy();
        }
    }

    private void local(PlainTextChange change) {
        if (applyingRemote) {
            return;
        }
        int at = change.getPosition();
        int removed = change.getRemoved().length();
        String inserted = change.getInserted();
        synchronized (doc) {
            doc.transact(t -> {
                if (removed > 0) {
                    text.delete(at, removed);
                }
                if (!inserted.isEmpty()) {
                    text.insert(at, inserted);
                }
            }, this);
        }
    }

    private void pullRemote() {
        pullQueued.set(false);
        String now;
        synchronized (doc) {
            now = text.toString();
        }
        String shown = area.getText();
        if (now.equals(shown)) {
            renderFormatting(); // a change of formatting only
            return;
        }
        int prefix = 0;
        int max = Math.min(now.length(), shown.length());
        while (prefix < max && now.charAt(prefix) == shown.charAt(prefix)) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < max - prefix
                && now.charAt(now.length() - 1 - suffix) == shown.charAt(shown.length() - 1 - suffix)) {
            suffix++;
        }
        applyingRemote = true;
        try {
            area.replaceText(prefix, shown.length() - suffix, now.substring(prefix, now.length() - suffix));
        } finally {
            applyingRemote = false;
        }
        renderFormatting();
    }
}
