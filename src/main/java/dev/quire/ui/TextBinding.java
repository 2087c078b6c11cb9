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
import org.fxmisc.richtext.GenericStyledArea;
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
    private final GenericStyledArea<?, String, ?> area;
    private final Doc doc;
    private final YText text;
    private final AtomicBoolean pullQueued = new AtomicBoolean();
    private boolean applyingRemote; // JavaFX thread only
    private final Subscription localChanges;
    private final Runnable stopObserving;
    /** Undo of this window's own edits only (Yjs's UndoManager, tracking this binding's transactions). */
    private final UndoManager undo;

    private TextBinding(GenericStyledArea<?, String, ?> area, Doc doc, String textName) {
        this.area = area;
        this.doc = doc;
        synchronized (doc) {
            this.text = doc.getText(textName);
            area.replaceText(text.toString());
        }
        synchronized (doc) {
            this.undo = UndoManager.builder(text).trackOrigin(this).build();
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
    public static TextBinding bind(GenericStyledArea<?, String, ?> area, Doc doc, String textName) {
        return new TextBinding(area, doc, textName);
    }

    private static final KeyCombination UNDO = new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination REDO = new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN,
            KeyCombination.SHIFT_DOWN);
    private static final KeyCombination REDO_Y = new KeyCodeCombination(KeyCode.Y, KeyCombination.SHORTCUT_DOWN);

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
    }
}
