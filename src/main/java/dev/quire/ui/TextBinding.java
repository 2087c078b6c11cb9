package dev.quire.ui;

import dev.quire.crdt.Doc;
import dev.quire.crdt.YText;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;
import org.fxmisc.richtext.GenericStyledArea;
import org.fxmisc.richtext.model.PlainTextChange;
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

    private TextBinding(GenericStyledArea<?, String, ?> area, Doc doc, String textName) {
        this.area = area;
        this.doc = doc;
        synchronized (doc) {
            this.text = doc.getText(textName);
            area.replaceText(text.toString());
        }
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

    /** Stops following either side. */
    public void dispose() {
        localChanges.unsubscribe();
        stopObserving.run();
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
