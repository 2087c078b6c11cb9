package dev.quire.ui;

import dev.quire.crdt.Doc;
import dev.quire.crdt.UndoManager;
import dev.quire.crdt.YEvent;
import dev.quire.crdt.YText;
import dev.quire.crdt.YTextEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;
import javafx.scene.control.IndexRange;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import org.fxmisc.richtext.StyleClassedTextArea;
import org.fxmisc.richtext.model.PlainTextChange;
import org.fxmisc.richtext.model.StyleSpan;
import org.fxmisc.richtext.model.StyleSpans;
import org.fxmisc.richtext.model.StyleSpansBuilder;
import org.fxmisc.richtext.model.TwoDimensional;
import org.fxmisc.richtext.util.UndoUtils;
import org.reactfx.Subscription;

/**
 * Keeps a RichTextFX area and a document's {@link YText} the same (issue 7's text binding), at a cost that follows
 * the size of each change, not of the document (a keystroke in a 1 MB document is one frame's work).
 *
 * <p>Local edits: each change of the area becomes one transaction on the text, on the JavaFX thread, under the
 * document's lock, with this binding as its origin.
 *
 * <p>Everyone else's changes (others' updates, undo, formatting) reach the area as the text's own event deltas, applied
 * to the area where they happened. That is exact only if the area and the text agree when the event fires, so the
 * editor applies remote updates to the document on the JavaFX thread ({@code Account.open(id, Platform::runLater)}).
 * A change made on another thread (a headless caller) cannot be applied by position, since the user may have typed
 * since; then the JavaFX thread compares the whole text with the area instead and replaces the span that differs.
 *
 * <p>Formats are Yjs text attributes named as Quill (and so y-quill browser editors) names them: inline {@code bold},
 * {@code italic}, {@code underline}, {@code strike}, {@code code}, {@code link} (the URL); for a paragraph,
 * {@code header} (1-3) and {@code list} ({@code bullet}, {@code ordered}) on the newline that ends it.
 */
public final class TextBinding {
    /** The boolean inline attributes the area shows, each as the style class of the same name (quire.css). */
    static final List<String> INLINE = List.of("bold", "italic", "underline", "strike", "code");
    /** The paragraph attributes, on a paragraph's closing newline. */
    static final List<String> BLOCK = List.of("header", "list");

    private final StyleClassedTextArea area;
    private final Doc doc;
    private final YText text;
    private final AtomicBoolean resyncQueued = new AtomicBoolean();
    private boolean applying; // JavaFX thread only: the area is being changed to match the text
    private final Subscription localChanges;
    private final Runnable stopObserving;
    /** Undo of this window's own edits only (Yjs's UndoManager, tracking this binding's transactions). */
    private final UndoManager undo;
    /** The origin of this window's formatting and replace-all: tracked for undo, and shown through their events. */
    private final Object ownFormat = new Object();

    private TextBinding(StyleClassedTextArea area, Doc doc, String textName) {
        this.area = area;
        this.doc = doc;
        synchronized (doc) {
            this.text = doc.getText(textName);
            this.undo = UndoManager.builder(text).trackOrigin(this).trackOrigin(ownFormat).build();
        }
        area.setParagraphGraphicFactory(this::listMarker);
        resync();
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
        synchronized (doc) {
            this.stopObserving = text.observe(this::changed);
        }
    }

    /** Binds {@code area} to the text {@code textName} of {@code doc}; call on the JavaFX thread. */
    public static TextBinding bind(StyleClassedTextArea area, Doc doc, String textName) {
        return new TextBinding(area, doc, textName);
    }

    private static final KeyCombination UNDO = new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination REDO = new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN,
            KeyCombination.SHIFT_DOWN);
    private static final KeyCombination REDO_Y = new KeyCodeCombination(KeyCode.Y, KeyCombination.SHORTCUT_DOWN);

    /** Inline formats with keys of their own. */
    private static final Map<KeyCombination, String> FORMAT_KEYS = Map.of(
            new KeyCodeCombination(KeyCode.B, KeyCombination.SHORTCUT_DOWN), "bold",
            new KeyCodeCombination(KeyCode.I, KeyCombination.SHORTCUT_DOWN), "italic",
            new KeyCodeCombination(KeyCode.U, KeyCombination.SHORTCUT_DOWN), "underline");

    /**
     * Turns the inline {@code attribute} on for the selection, or off when the whole selection has it already (as
     * editors do); one transaction, with this window as its origin, so undo takes it back.
     */
    public void toggle(String attribute) {
        IndexRange sel = area.getSelection();
        if (sel.getLength() == 0) {
            return;
        }
        boolean all = true;
        for (StyleSpan<Collection<String>> span : area.getStyleSpans(sel)) {
            all &= span.getLength() == 0 || span.getStyle().contains(attribute);
        }
        Map<String, Object> change = new HashMap<>();
        change.put(attribute, all ? null : Boolean.TRUE);
        format(sel.getStart(), sel.getLength(), change);
    }

    /** Links the selection to {@code url}, or unlinks it with null. */
    public void link(String url) {
        IndexRange sel = area.getSelection();
        if (sel.getLength() > 0) {
            Map<String, Object> change = new HashMap<>();
            change.put("link", url);
            format(sel.getStart(), sel.getLength(), change);
        }
    }

    /**
     * Gives the paragraphs the selection touches the paragraph format {@code attribute} = {@code value} ("header" 2,
     * "list" "bullet"), replacing the other paragraph format; null, null makes them normal text. Turning a list on
     * where every paragraph has it already turns it off. A last paragraph without a closing newline gets one, as
     * Quill's documents always end with one.
     */
    public void paragraph(String attribute, Object value) {
        IndexRange sel = area.getSelection();
        int first = area.offsetToPosition(sel.getStart(), TwoDimensional.Bias.Forward).getMajor();
        int last = area.offsetToPosition(sel.getEnd(), TwoDimensional.Bias.Forward).getMajor();
        boolean all = attribute != null;
        for (int p = first; p <= last && all; p++) {
            all = area.getParagraph(p).getParagraphStyle().contains(blockClass(attribute, value));
        }
        Map<String, Object> change = new HashMap<>();
        for (String a : BLOCK) {
            change.put(a, a.equals(attribute) && !all ? value : null);
        }
        synchronized (doc) {
            undo.stopCapturing();
            doc.transact(t -> {
                for (int p = first; p <= last; p++) {
                    int end = area.getAbsolutePosition(p, area.getParagraphLength(p));
                    if (end < text.length()) {
                        text.format(end, 1, change);
                    } else if (!change.values().stream().allMatch(java.util.Objects::isNull)) {
                        text.insert(end, "\n", without(change));
                    }
                }
            }, ownFormat);
            undo.stopCapturing();
        }
    }

    private void format(int start, int length, Map<String, Object> change) {
        synchronized (doc) {
            undo.stopCapturing(); // a format is its own undo step, not merged with the typing around it
            doc.transact(t -> text.format(start, length, change), ownFormat);
            undo.stopCapturing();
        }
    }

    /**
     * Replaces every case-insensitive occurrence of {@code needle} with {@code replacement}, as one transaction (so
     * one undo takes it back and others see one change); returns how many.
     */
    public int replaceAll(String needle, String replacement) {
        if (needle.isEmpty()) {
            return 0;
        }
        synchronized (doc) {
            String hay = text.toString().toLowerCase(java.util.Locale.ROOT);
            String n = needle.toLowerCase(java.util.Locale.ROOT);
            List<Integer> at = new ArrayList<>();
            for (int i = hay.indexOf(n); i >= 0; i = hay.indexOf(n, i + n.length())) {
                at.add(i);
            }
            undo.stopCapturing();
            doc.transact(t -> {
                for (int k = at.size() - 1; k >= 0; k--) { // from the end: earlier indexes stay valid
                    text.delete(at.get(k), needle.length());
                    if (!replacement.isEmpty()) {
                        text.insert(at.get(k), replacement);
                    }
                }
            }, ownFormat);
            undo.stopCapturing();
            return at.size();
        }
    }

    /** Undoes this window's last own edit (others' edits stay). */
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
        synchronized (doc) {
            stopObserving.run();
            undo.destroy();
        }
    }

    // ---- the area's changes into the text ----

    private void local(PlainTextChange change) {
        if (applying) {
            return;
        }
        int at = change.getPosition();
        int removed = change.getRemoved().length();
        String inserted = change.getInserted();
        Collection<String>[] split = null;
        synchronized (doc) {
            Collection<String>[][] out = new Collection[1][];
            doc.transact(t -> {
                if (removed > 0) {
                    text.delete(at, removed);
                }
                if (!inserted.isEmpty()) {
                    out[0] = insertLocal(at, inserted);
                }
            }, this);
            split = out[0];
        }
        if (split != null) {
            // the paragraphs the new lines close take the split paragraph's format; the last piece keeps its own
            applying = true;
            try {
                splitParagraphs(at, newlines(inserted), split[0], split[1]);
            } finally {
                applying = false;
            }
            redrawMarkersIfChanged();
        }
    }

    /**
     * Typed or pasted text: it takes the inline formats of the text before it (Yjs does so), and a new line splits its
     * paragraph so that both halves keep the paragraph's format (a list goes on), except that a new line at the end
     * of a heading starts normal text, as editors do. Returns, for text with new lines, the paragraph classes of the
     * lines they close and of the last piece; null for text without.
     */
    @SuppressWarnings("unchecked")
    private Collection<String>[] insertLocal(int at, String inserted) {
        if (inserted.indexOf('\n') < 0) {
            if (at == 0 || area.getText(at - 1, at).equals("\n")) {
                // Yjs would give it the attributes of the character before: a newline's are its paragraph's format
                text.insert(at, inserted, Map.of());
            } else {
                text.insert(at, inserted); // the inline formats of the text before, as editors do
            }
            return null;
        }
        int closing = closingNewline(at, inserted.length());
        List<Map<String, Object>> delta = text.toDelta(); // one walk, whatever the paste's length
        Map<String, Object> block = closing < 0 ? Map.of() : blockAttributes(delta, closing);
        boolean endOfHeading = block.containsKey("header") && closing == at;
        Map<String, Object> inline = currentInline(delta, at);
        Map<String, Object> newline = new HashMap<>(inline);
        newline.putAll(block);
        int pos = at;
        int from = 0;
        if (block.isEmpty()) {
            // new lines of a normal paragraph are text like any other: one insert, one run (as many inserts in one
            // transaction would cost Yjs's walk back over the same client's runs each time: quadratic in lines)
            text.insert(pos, inserted, inline);
            pos += inserted.length();
            from = inserted.length();
        }
        for (int nl = inserted.indexOf('\n', from); nl >= 0; nl = inserted.indexOf('\n', from)) {
            if (nl > from) {
                text.insert(pos, inserted.substring(from, nl), inline); // explicit: never a newline's format
                pos += nl - from;
            }
            text.insert(pos, "\n", newline);
            pos++;
            from = nl + 1;
        }
        if (from < inserted.length()) {
            text.insert(pos, inserted.substring(from), inline);
        }
        Map<String, Object> tail = block;
        if (endOfHeading) {
            Map<String, Object> clear = new HashMap<>();
            clear.put("header", null);
            text.format(pos, 1, clear); // the old closing newline now ends the new, empty line
            tail = new HashMap<>(block);
            tail.remove("header");
        }
        return new Collection[] {blockClasses(block), blockClasses(tail)};
    }

    /**
     * The index in the text of the newline that closes the paragraph {@code inserted} went into at {@code at}, or -1
     * for the last paragraph. The area holds the insertion already, the text not yet: the paragraph's rest follows
     * the inserted text in the area, and its end there is the newline's place in the text, shifted by the insertion.
     */
    private int closingNewline(int at, int inserted) {
        int p = area.offsetToPosition(at + inserted, TwoDimensional.Bias.Forward).getMajor();
        int inText = area.getAbsolutePosition(p, area.getParagraphLength(p)) - inserted;
        return inText < text.length() ? inText : -1;
    }

    private static Map<String, Object> blockAttributes(List<Map<String, Object>> delta, int newline) {
        Map<String, Object> attrs = attributesAt(delta, newline);
        Map<String, Object> block = new HashMap<>();
        for (String a : BLOCK) {
            if (attrs.get(a) != null) {
                block.put(a, attrs.get(a));
            }
        }
        return block;
    }

    private static Map<String, Object> currentInline(List<Map<String, Object>> delta, int pos) {
        if (pos == 0) {
            return Map.of();
        }
        Map<String, Object> attrs = new HashMap<>(attributesAt(delta, pos - 1));
        BLOCK.forEach(attrs::remove);
        return attrs;
    }

    /** The attributes of the character at {@code index} of the text whose delta this is. */
    private static Map<String, Object> attributesAt(List<Map<String, Object>> delta, int index) {
        int at = 0;
        for (Map<String, Object> op : delta) {
            int len = insertOf(op).length();
            if (index < at + len) {
                return attributesOf(op);
            }
            at += len;
        }
        return Map.of();
    }

    /** An op's inserted text; an embed counts as one character. */
    private static String insertOf(Map<String, Object> op) {
        return op.get("insert") instanceof String str ? str : "\uFFFC";
    }

    private static Map<String, Object> attributesOf(Map<String, Object> op) {
        return op.get("attributes") instanceof Map<?, ?> m ? stringKeys(m) : Map.of();
    }

    // ---- the text's changes into the area ----

    /** The text changed (inside the transaction, under the document's lock). */
    private void changed(YEvent event) {
        Object origin = event.transaction().origin();
        if (origin == this) {
            return; // typed here: the area has it already
        }
        if (!Platform.isFxApplicationThread()) {
            if (resyncQueued.compareAndSet(false, true)) {
                Platform.runLater(this::resync);
            }
            return;
        }
        List<Map<String, Object>> delta = ((YTextEvent) event).delta();
        applying = true;
        try {
            int pos = 0;
            for (Map<String, Object> op : delta) {
                if (op.get("retain") instanceof Number n) {
                    int len = n.intValue();
                    if (op.get("attributes") instanceof Map<?, ?> changes) {
                        reformat(pos, len, stringKeys(changes));
                    }
                    pos += len;
                } else if (op.get("delete") instanceof Number n) {
                    int end = pos + n.intValue();
                    // joined paragraphs end with the last one's newline: they take its format
                    Collection<String> survivor = paragraphClassesAt(end);
                    boolean joins = area.offsetToPosition(pos, TwoDimensional.Bias.Forward).getMajor()
                            != area.offsetToPosition(end, TwoDimensional.Bias.Forward).getMajor();
                    // through the document model: the area's own replace would move this user's caret to the change
                    area.getContent().replace(pos, end, empty());
                    if (joins) {
                        setParagraphClasses(area.offsetToPosition(pos, TwoDimensional.Bias.Forward).getMajor(),
                                survivor);
                        markersChanged |= !survivor.isEmpty();
                    }
                } else if (op.get("insert") != null) {
                    String s = insertOf(op);
                    Map<String, Object> attrs = attributesOf(op);
                    Collection<String> tail = paragraphClassesAt(pos);
                    area.getContent().replace(pos, pos, org.fxmisc.richtext.model.ReadOnlyStyledDocument.fromString(s,
                            area.getInitialParagraphStyle(), inlineClasses(attrs), area.getSegOps()));
                    int lines = newlines(s);
                    if (lines > 0) {
                        // each inserted newline closes a paragraph with its own attributes; the last piece is the
                        // rest of the paragraph it went into, closed by that paragraph's old newline
                        splitParagraphs(pos, lines, blockClasses(attrs), tail);
                    }
                    pos += s.length();
                }
            }
        } finally {
            applying = false;
        }
        redrawMarkersIfChanged();
    }

    private boolean markersChanged; // JavaFX thread: a change touched a list paragraph, numbers may move

    /**
     * {@code lines} new lines went in at {@code at}: the paragraphs they close take {@code closed}, and the one after
     * them (the rest of the paragraph they went into) takes {@code rest}.
     */
    private void splitParagraphs(int at, int lines, Collection<String> closed, Collection<String> rest) {
        int p = area.offsetToPosition(at, TwoDimensional.Bias.Forward).getMajor();
        for (int i = 0; i < lines; i++) {
            setParagraphClasses(p + i, closed);
        }
        setParagraphClasses(p + lines, rest);
        markersChanged |= !closed.isEmpty() || !rest.isEmpty();
    }

    private static int newlines(String s) {
        return (int) s.chars().filter(c -> c == '\n').count();
    }

    /** List markers are numbered by position: redrawn when list paragraphs came or went, or changed format. */
    private void redrawMarkersIfChanged() {
        if (markersChanged) {
            markersChanged = false;
            area.setParagraphGraphicFactory(this::listMarker);
        }
    }

    private org.fxmisc.richtext.model.StyledDocument<Collection<String>, String, Collection<String>> empty() {
        return org.fxmisc.richtext.model.ReadOnlyStyledDocument.fromString("", area.getInitialParagraphStyle(),
                area.getInitialTextStyle(), area.getSegOps());
    }

    /** The paragraph classes of the paragraph holding {@code offset}. */
    private Collection<String> paragraphClassesAt(int offset) {
        int p = area.offsetToPosition(Math.min(offset, area.getLength()), TwoDimensional.Bias.Forward).getMajor();
        return List.copyOf(area.getParagraph(p).getParagraphStyle());
    }

    private void setParagraphClasses(int paragraph, Collection<String> classes) {
        if (paragraph < area.getParagraphs().size()
                && !classes.equals(List.copyOf(area.getParagraph(paragraph).getParagraphStyle()))) {
            area.setParagraphStyle(paragraph, classes);
        }
    }


    /** Changes the inline classes of [pos, pos+len) by {@code changes} (null removes), and paragraph formats. */
    private void reformat(int pos, int len, Map<String, Object> changes) {
        StyleSpans<Collection<String>> old = area.getStyleSpans(pos, pos + len);
        StyleSpansBuilder<Collection<String>> spans = new StyleSpansBuilder<>();
        for (StyleSpan<Collection<String>> span : old) {
            List<String> classes = new ArrayList<>(span.getStyle());
            for (Map.Entry<String, Object> c : changes.entrySet()) {
                String cls = inlineClass(c.getKey(), c.getValue());
                String name = c.getKey().equals("link") ? "link" : c.getKey();
                if (INLINE.contains(c.getKey()) || c.getKey().equals("link")) {
                    classes.remove(name);
                    if (cls != null) {
                        classes.add(cls);
                    }
                }
            }
            spans.add(classes, span.getLength());
        }
        if (len > 0) {
            area.setStyleSpans(pos, spans.create());
        }
        if (changes.keySet().stream().anyMatch(BLOCK::contains)) {
            restyleParagraphs(pos, pos + len); // a paragraph format changed: rare, and worth a walk of the text
        }
    }

    /** Sets the paragraph classes of the paragraphs between two offsets from their closing newlines in the text. */
    private void restyleParagraphs(int from, int to) {
        int first = area.offsetToPosition(Math.min(from, area.getLength()), TwoDimensional.Bias.Forward).getMajor();
        int last = area.offsetToPosition(Math.min(to, area.getLength()), TwoDimensional.Bias.Forward).getMajor();
        List<Collection<String>> all;
        synchronized (doc) {
            all = paragraphClasses(text.toDelta());
        }
        for (int p = first; p <= last && p < area.getParagraphs().size(); p++) {
            setParagraphClasses(p, p < all.size() ? all.get(p) : List.of());
        }
        markersChanged = true;
    }

    /** Every paragraph's classes, from the closing newlines in a text's delta. */
    private static List<Collection<String>> paragraphClasses(List<Map<String, Object>> delta) {
        List<Collection<String>> out = new ArrayList<>();
        for (Map<String, Object> op : delta) {
            String s = insertOf(op);
            for (int i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) {
                out.add(blockClasses(attributesOf(op)));
            }
        }
        return out;
    }

    /**
     * The whole text into the area: at start, and after a change made off the JavaFX thread. Replaces only the span
     * where the two differ (so the caret stays), then draws every format.
     */
    private void resync() {
        resyncQueued.set(false);
        String now;
        List<Map<String, Object>> delta;
        synchronized (doc) {
            now = text.toString();
            delta = text.toDelta();
        }
        String shown = area.getText();
        applying = true;
        try {
            if (!now.equals(shown)) {
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
                area.getContent().replace(prefix, shown.length() - suffix, org.fxmisc.richtext.model
                        .ReadOnlyStyledDocument.fromString(now.substring(prefix, now.length() - suffix),
                                area.getInitialParagraphStyle(), area.getInitialTextStyle(), area.getSegOps()));
            }
            StyleSpansBuilder<Collection<String>> spans = new StyleSpansBuilder<>();
            int total = 0;
            for (Map<String, Object> op : delta) {
                int len = insertOf(op).length();
                spans.add(inlineClasses(attributesOf(op)), len);
                total += len;
            }
            if (total == area.getLength() && total > 0) {
                area.setStyleSpans(0, spans.create());
            }
            List<Collection<String>> paragraphs = paragraphClasses(delta);
            for (int p = 0; p < area.getParagraphs().size(); p++) {
                setParagraphClasses(p, p < paragraphs.size() ? paragraphs.get(p) : List.of());
            }
        } finally {
            applying = false;
        }
        area.setParagraphGraphicFactory(this::listMarker);
    }

    // ---- attributes as style classes ----

    static List<String> inlineClasses(Map<String, Object> attrs) {
        List<String> classes = new ArrayList<>(2);
        for (Map.Entry<String, Object> a : attrs.entrySet()) {
            String cls = inlineClass(a.getKey(), a.getValue());
            if (cls != null) {
                classes.add(cls);
            }
        }
        return classes;
    }

    private static String inlineClass(String attribute, Object value) {
        if (INLINE.contains(attribute) && Boolean.TRUE.equals(value)) {
            return attribute;
        }
        return attribute.equals("link") && value instanceof String ? "link" : null;
    }

    static List<String> blockClasses(Map<String, Object> attrs) {
        List<String> classes = new ArrayList<>(1);
        if (attrs.get("header") instanceof Number level && level.intValue() >= 1 && level.intValue() <= 3) {
            classes.add("h" + level.intValue());
        }
        if ("bullet".equals(attrs.get("list")) || "ordered".equals(attrs.get("list"))) {
            classes.add((String) attrs.get("list"));
        }
        return classes;
    }

    private static String blockClass(String attribute, Object value) {
        List<String> c = blockClasses(Map.of(attribute, value));
        return c.isEmpty() ? "" : c.get(0);
    }

    /** "•" before a bulleted paragraph, "3." before the third of a numbered run; nothing for other paragraphs. */
    private javafx.scene.Node listMarker(int paragraph) {
        if (paragraph >= area.getParagraphs().size()) {
            return null;
        }
        Collection<String> style = area.getParagraph(paragraph).getParagraphStyle();
        String marker = null;
        if (style.contains("bullet")) {
            marker = "•";
        } else if (style.contains("ordered")) {
            int n = 1;
            for (int p = paragraph - 1; p >= 0 && area.getParagraph(p).getParagraphStyle().contains("ordered"); p--) {
                n++;
            }
            marker = n + ".";
        }
        if (marker == null) {
            return null;
        }
        javafx.scene.control.Label l = new javafx.scene.control.Label(marker);
        l.getStyleClass().add("list-marker");
        l.setMinWidth(28);
        l.setPrefWidth(28);
        return l;
    }

    private static Map<String, Object> without(Map<String, Object> change) {
        Map<String, Object> m = new HashMap<>();
        change.forEach((k, v) -> {
            if (v != null) {
                m.put(k, v);
            }
        });
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
