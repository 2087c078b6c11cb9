package dev.quire.crdt;

import dev.quire.crdt.encoding.Any;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shared rich text (Yjs types/YText.js). Indexes are UTF-16 code units, as in JavaScript and Java strings.
 * Formatting is stored as marks in the text ({@link ContentFormat}): attribute on at one point, off at another,
 * so that concurrent formatting merges like text does.
 */
public final class YText extends AbstractType {
    boolean hasFormatting;
    /**
     * Whether a format mark may be in the list. Unlike {@link #hasFormatting} (Yjs's flag, which content adopted
     * from a root of unknown kind does not set), this is never wrong, so it can skip work that only format marks
     * make necessary.
     */
    boolean mayHaveFormatMarks;

    public YText() {
        searchMarkers = new SearchMarkers();
    }

    /** A position in the item list while walking it, with the attributes in effect there. */
    static final class Position {
        Item left;
        Item right;
        int index;
        /** Read-only and shared while empty (most text has no formatting); see {@link #mutableAttributes()}. */
        Map<String, Object> currentAttributes = Map.of();

        Position(Item left, Item right, int index) {
            this.left = left;
            this.right = right;
            this.index = index;
        }

        Map<String, Object> mutableAttributes() {
            if (!(currentAttributes instanceof LinkedHashMap)) {
                currentAttributes = new LinkedHashMap<>(currentAttributes);
            }
            return currentAttributes;
        }

        void forward() {
            if (right == null) {
                throw new IllegalStateException("cannot move past the end of the text");
            }
            if (right.content instanceof ContentFormat f) {
                if (!right.isDeleted()) {
                    updateCurrentAttributes(mutableAttributes(), f);
                }
            } else if (!right.isDeleted()) {
                index += right.length;
            }
            left = right;
            right = right.right;
        }
    }

    @Override
    AbstractType copyEmpty() {
        return new YText();
    }

    @Override
    void writeTypeRef(UpdateEncoder encoder) {
        encoder.writeTypeRef(2);
    }

    @Override
    public Object toJson() {
        return toString();
    }

    public int length() {
        return length;
    }

    @Override
    void callObserver(Transaction transaction, Set<String> parentSubs) {
        if (!transaction.local && searchMarkers != null) {
            searchMarkers.clear();
        }
        callTypeObservers(transaction, new YTextEvent(this, transaction, parentSubs));
        if (!transaction.local && hasFormatting) {
            transaction.needFormattingCleanup = true;
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(length);
        for (Item n = start; n != null; n = n.right) {
            if (n.visible() && n.content instanceof ContentString s) {
                sb.append(s.str());
            }
        }
        return sb.toString();
    }

    // ---- public editing API ----

    /** Inserts text at {@code index}; it takes the formatting of the text before it. */
    public void insert(int index, String text) {
        insert(index, text, null);
    }

    /** Inserts text with exactly these attributes (null values remove an attribute). */
    public void insert(int index, String text, Map<String, Object> attributes) {
        if (text.isEmpty()) {
            return;
        }
        requireIntegrated();
        checkIndex(index);
        doc.transact(transaction -> {
            Position pos = findPosition(transaction, index, attributes == null);
            Map<String, Object> attrs;
            if (attributes == null) {
                // the formatting of the text before; insertText adds no keys then, so an empty one can be shared
                attrs = pos.currentAttributes.isEmpty() ? Map.of() : new LinkedHashMap<>(pos.currentAttributes);
            } else {
                attrs = new LinkedHashMap<>(attributes);
            }
            insertText(transaction, pos, new ContentString(text), attrs);
            return null;
        }, null, true);
    }

    /** Inserts an embedded object (e.g. an image description) at {@code index}. */
    public void insertEmbed(int index, Object embed, Map<String, Object> attributes) {
        requireIntegrated();
        checkIndex(index);
        Content content = embed instanceof AbstractType t ? specialContent(t) : new ContentEmbed(embed);
        doc.transact(transaction -> {
            Position pos = findPosition(transaction, index, attributes == null);
            insertText(transaction, pos, content, attributes == null ? new LinkedHashMap<>()
                    : new LinkedHashMap<>(attributes));
            return null;
        }, null, true);
    }

    public void delete(int index, int len) {
        if (len == 0) {
            return;
        }
        requireIntegrated();
        if (index < 0 || len < 0 || index + len > length) {
            throw new IndexOutOfBoundsException("delete(" + index + ", " + len + ") outside text of length " + length);
        }
        doc.transact(transaction -> {
            deleteText(transaction, findPosition(transaction, index, true), len);
            return null;
        }, null, true);
    }

    /** Sets attributes on a range (null values remove them). */
    public void format(int index, int len, Map<String, Object> attributes) {
        if (len == 0) {
            return;
        }
        requireIntegrated();
        checkIndex(index);
        doc.transact(transaction -> {
            Position pos = findPosition(transaction, index, false);
            if (pos.right == null) {
                return null;
            }
            formatText(transaction, pos, len, new LinkedHashMap<>(attributes));
            return null;
        }, null, true);
    }

    public void setAttribute(String name, Object value) {
        requireIntegrated();
        doc.transact(t -> mapSet(t, name, value));
    }

    public void removeAttribute(String name) {
        requireIntegrated();
        doc.transact(t -> mapDelete(t, name));
    }

    public Object getAttribute(String name) {
        return mapGet(name);
    }

    public Map<String, Object> getAttributes() {
        return mapGetAll();
    }

    private void checkIndex(int index) {
        if (index < 0 || index > length) {
            throw new IndexOutOfBoundsException("index " + index + " outside text of length " + length);
        }
    }

    /**
     * The content as a Quill-style delta: a list of {@code {"insert": text|embed, "attributes": {...}}}.
     */
    public List<Map<String, Object>> toDelta() {
        List<Map<String, Object>> ops = new ArrayList<>();
        Map<String, Object> currentAttributes = new LinkedHashMap<>();
        StringBuilder str = new StringBuilder();
        for (Item n = start; n != null; n = n.right) {
            if (n.isDeleted()) {
                continue;
            }
            if (n.content instanceof ContentString s) {
                str.append(s.str());
            } else if (n.content instanceof ContentType || n.content instanceof ContentEmbed) {
                packStr(ops, str, currentAttributes);
                Map<String, Object> op = new LinkedHashMap<>();
                op.put("insert", n.content.values().get(0));
                if (!currentAttributes.isEmpty()) {
                    op.put("attributes", new LinkedHashMap<>(currentAttributes));
                }
                ops.add(op);
            } else if (n.content instanceof ContentFormat f) {
                packStr(ops, str, currentAttributes);
                updateCurrentAttributes(currentAttributes, f);
            }
        }
        packStr(ops, str, currentAttributes);
        return ops;
    }

    private static void packStr(List<Map<String, Object>> ops, StringBuilder str, Map<String, Object> attrs) {
        if (str.length() > 0) {
            Map<String, Object> op = new LinkedHashMap<>();
            op.put("insert", str.toString());
            if (!attrs.isEmpty()) {
                op.put("attributes", new LinkedHashMap<>(attrs));
            }
            ops.add(op);
            str.setLength(0);
        }
    }

    /**
     * Applies a Quill-style delta ({@code insert} with optional {@code attributes}, {@code retain} with optional
     * {@code attributes}, {@code delete}) in one transaction.
     */
    public void applyDelta(List<Map<String, Object>> delta) {
        requireIntegrated();
        doc.transact(transaction -> {
            Position currPos = new Position(null, start, 0);
            for (Map<String, Object> op : delta) {
                @SuppressWarnings("unchecked")
                Map<String, Object> attrs = op.get("attributes") instanceof Map<?, ?> m
                        ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
                if (op.containsKey("insert")) {
                    Object ins = op.get("insert");
                    if (ins instanceof String s) {
                        if (!s.isEmpty()) {
                            insertText(transaction, currPos, new ContentString(s), attrs);
                        }
                    } else if (ins instanceof AbstractType t) {
                        insertText(transaction, currPos, specialContent(t), attrs);
                    } else {
                        insertText(transaction, currPos, new ContentEmbed(ins), attrs);
                    }
                } else if (op.containsKey("retain")) {
                    formatText(transaction, currPos, ((Number) op.get("retain")).intValue(), attrs);
                } else if (op.containsKey("delete")) {
                    deleteText(transaction, currPos, ((Number) op.get("delete")).intValue());
                }
            }
            return null;
        }, null, true);
    }

    // ---- the algorithms (Yjs YText.js internals) ----

    private static void updateCurrentAttributes(Map<String, Object> currentAttributes, ContentFormat format) {
        if (format.value == null) {
            currentAttributes.remove(format.key);
        } else {
            currentAttributes.put(format.key, format.value);
        }
    }

    private Position findNextPosition(Transaction transaction, Position pos, int count) {
        while (pos.right != null && count > 0) {
            Item r = pos.right;
            if (r.content instanceof ContentFormat f) {
                if (!r.isDeleted()) {
                    updateCurrentAttributes(pos.mutableAttributes(), f);
                }
            } else if (!r.isDeleted()) {
                if (count < r.length) {
                    // split right
                    transaction.doc.store.getItemCleanStart(transaction, new ID(r.id.client(), r.id.clock() + count));
                }
                pos.index += r.length;
                count -= r.length;
            }
            pos.left = r;
            pos.right = r.right;
        }
        return pos;
    }

    private Position findPosition(Transaction transaction, int index, boolean useSearchMarker) {
        SearchMarkers.Marker marker = useSearchMarker ? SearchMarkers.find(this, index) : null;
        if (marker != null) {
            Position pos = new Position(marker.p.left, marker.p, marker.index);
            return findNextPosition(transaction, pos, index - marker.index);
        }
        Position pos = new Position(null, start, 0);
        return findNextPosition(transaction, pos, index);
    }

    private Item newItem(Transaction transaction, Item left, Item right, Content content) {
        return Item.local(transaction, left, right, this, null, content);
    }

    /** After inserted text, restore the attributes that the insertion changed. */
    private void insertNegatedAttributes(Transaction transaction, Position currPos, Map<String, Object> negated) {
        // check if we really need to remove attributes
        while (currPos.right != null && (currPos.right.isDeleted()
                || (currPos.right.content instanceof ContentFormat f
                && negated.containsKey(f.key) && Any.equalAttrs(negated.get(f.key), f.value)))) {
            if (!currPos.right.isDeleted()) {
                negated.remove(((ContentFormat) currPos.right.content).key);
            }
            currPos.forward();
        }
        for (Map.Entry<String, Object> e : negated.entrySet()) {
            Item nextFormat = newItem(transaction, currPos.left, currPos.right, new ContentFormat(e.getKey(), e.getValue()));
            nextFormat.integrate(transaction, 0);
            currPos.right = nextFormat;
            currPos.forward();
        }
    }

    private static void minimizeAttributeChanges(Position currPos, Map<String, Object> attributes) {
        while (currPos.right != null) {
            Item r = currPos.right;
            if (r.isDeleted() || (r.content instanceof ContentFormat f
                    && Any.equalAttrs(attributes.get(f.key), f.value))) {
                currPos.forward();
            } else {
                break;
            }
        }
    }

    /** Inserts format marks so that {@code attributes} hold from here; returns what to restore afterwards. */
    private Map<String, Object> insertAttributes(Transaction transaction, Position currPos,
                                                 Map<String, Object> attributes) {
        if (attributes.isEmpty()) {
            return Map.of(); // nothing to negate; insertNegatedAttributes only reads an empty map
        }
        Map<String, Object> negated = new LinkedHashMap<>();
        for (String key : Any.jsKeyOrder(attributes)) {
            Object val = attributes.get(key);
            Object currentVal = currPos.currentAttributes.get(key);
            if (!Any.equalAttrs(currentVal, val)) {
                negated.put(key, currentVal);
                currPos.right = newItem(transaction, currPos.left, currPos.right, new ContentFormat(key, val));
                currPos.right.integrate(transaction, 0);
                currPos.forward();
            }
        }
        return negated;
    }

    private void insertText(Transaction transaction, Position currPos, Content content, Map<String, Object> attributes) {
        for (String key : currPos.currentAttributes.keySet()) {
            if (!attributes.containsKey(key)) {
                attributes.put(key, null); // attributes is a mutable copy whenever the position has attributes
            }
        }
        minimizeAttributeChanges(currPos, attributes);
        Map<String, Object> negated = insertAttributes(transaction, currPos, attributes);
        Item left = currPos.left;
        Item right = currPos.right;
        int index = currPos.index;
        if (searchMarkers != null) {
            searchMarkers.update(currPos.index, content.length());
        }
        right = newItem(transaction, left, right, content);
        right.integrate(transaction, 0);
        currPos.right = right;
        currPos.index = index;
        currPos.forward();
        insertNegatedAttributes(transaction, currPos, negated);
    }

    private void formatText(Transaction transaction, Position currPos, int len, Map<String, Object> attributes) {
        minimizeAttributeChanges(currPos, attributes);
        Map<String, Object> negated = insertAttributes(transaction, currPos, attributes);
        // iterate until the first non-format or null is found; delete all formats with attributes[format.key] != null
        iteration:
        while (currPos.right != null && (len > 0 || (!negated.isEmpty()
                && (currPos.right.isDeleted() || currPos.right.content instanceof ContentFormat)))) {
            Item r = currPos.right;
            if (!r.isDeleted()) {
                if (r.content instanceof ContentFormat f) {
                    if (attributes.containsKey(f.key)) {
                        Object attr = attributes.get(f.key);
                        if (Any.equalAttrs(attr, f.value)) {
                            negated.remove(f.key);
                        } else {
                            if (len == 0) {
                                // no need to further extend negated attributes
                                break iteration;
                            }
                            negated.put(f.key, f.value);
                        }
                        r.delete(transaction);
                    } else {
                        currPos.mutableAttributes().put(f.key, f.value);
                    }
                } else {
                    if (len < r.length) {
                        transaction.doc.store.getItemCleanStart(transaction, new ID(r.id.client(), r.id.clock() + len));
                    }
                    len -= r.length;
                }
            }
            currPos.forward();
        }
        // Quill just assumes that the editor starts with a newline and that it always ends with a newline: formatting
        // beyond the end inserts newlines
        if (len > 0) {
            currPos.right = newItem(transaction, currPos.left, currPos.right, new ContentString("\n".repeat(len)));
            currPos.right.integrate(transaction, 0);
            currPos.forward();
        }
        insertNegatedAttributes(transaction, currPos, negated);
    }

    /**
     * Removes format marks between {@code start} and the next countable item that are overwritten or
     * ineffective; returns how many were removed (Yjs cleanupFormattingGap).
     */
    private static int cleanupFormattingGap(Transaction transaction, Item start, Item curr,
                                            Map<String, Object> startAttributes, Map<String, Object> currAttributes) {
        Item end = start;
        Map<String, ContentFormat> endFormats = new HashMap<>();
        while (end != null && (!end.countable() || end.isDeleted())) {
            if (!end.isDeleted() && end.content instanceof ContentFormat cf) {
                endFormats.put(cf.key, cf);
            }
            end = end.right;
        }
        int cleanups = 0;
        boolean reachedCurr = false;
        while (start != end) {
            if (curr == start) {
                reachedCurr = true;
            }
            if (!start.isDeleted() && start.content instanceof ContentFormat cf) {
                Object startAttrValue = startAttributes.get(cf.key);
                if (endFormats.get(cf.key) != cf || Any.strictEquals(startAttrValue, cf.value)) {
                    // either this format is overwritten or it is not necessary because the attribute already existed
                    start.delete(transaction);
                    cleanups++;
                    if (!reachedCurr && Any.strictEquals(currAttributes.get(cf.key), cf.value)
                            && !Any.strictEquals(startAttrValue, cf.value)) {
                        if (startAttrValue == null) {
                            currAttributes.remove(cf.key);
                        } else {
                            currAttributes.put(cf.key, startAttrValue);
                        }
                    }
                }
                if (!reachedCurr && !start.isDeleted()) {
                    updateCurrentAttributes(currAttributes, cf);
                }
            }
            start = start.right;
        }
        return cleanups;
    }

    private static void cleanupContextlessFormattingGap(Transaction transaction, Item item) {
        // iterate until item.right is null or content
        while (item != null && item.right != null && (item.right.isDeleted() || !item.right.countable())) {
            item = item.right;
        }
        Set<String> attrs = new HashSet<>();
        // iterate back until a content item is found
        while (item != null && (item.isDeleted() || !item.countable())) {
            if (!item.isDeleted() && item.content instanceof ContentFormat cf) {
                if (attrs.contains(cf.key)) {
                    item.delete(transaction);
                } else {
                    attrs.add(cf.key);
                }
            }
            item = item.left;
        }
    }

    /** Removes every redundant format mark in the text; returns how many. */
    int cleanupFormatting() {
        int[] res = {0};
        doc.transact(transaction -> {
            Item startItem = start;
            Item end = start;
            Map<String, Object> startAttributes = new LinkedHashMap<>();
            Map<String, Object> currentAttributes = new LinkedHashMap<>(startAttributes);
            while (end != null) {
                if (!end.isDeleted()) {
                    if (end.content instanceof ContentFormat cf) {
                        updateCurrentAttributes(currentAttributes, cf);
                    } else {
                        res[0] += cleanupFormattingGap(transaction, startItem, end, startAttributes, currentAttributes);
                        startAttributes = new LinkedHashMap<>(currentAttributes);
                        startItem = end;
                    }
                }
                end = end.right;
            }
            return null;
        }, null, true);
        return res[0];
    }

    /**
     * After a remote transaction that touched formatted text, remove format marks that became redundant
     * (Yjs cleanupYTextAfterTransaction). Runs as a new local transaction.
     */
    static void cleanupAfterTransaction(Transaction transaction) {
        Set<YText> needFullCleanup = new LinkedHashSet<>();
        Doc doc = transaction.doc;
        // check if another formatting item was inserted
        StateVector after = transaction.afterState;
        for (int i = 0; i < after.size(); i++) {
            long client = after.clientAt(i);
            int clock = transaction.beforeState(client);
            int afterClock = after.clockAt(i);
            if (afterClock == clock) {
                continue;
            }
            StructStore.iterateStructs(transaction, doc.store.list(client), clock, afterClock, struct -> {
                if (struct instanceof Item item && !item.isDeleted() && item.content instanceof ContentFormat
                        && item.parent instanceof YText text) {
                    needFullCleanup.add(text);
                }
            });
        }
        doc.transact(t -> {
            transaction.deleteSet.iterateDeletedStructs(transaction, struct -> {
                if (!(struct instanceof Item item) || !(item.parent instanceof YText parent)
                        || !parent.hasFormatting || needFullCleanup.contains(parent)) {
                    return;
                }
                if (item.content instanceof ContentFormat) {
                    needFullCleanup.add(parent);
                } else {
                    // If no formatting attribute was inserted or deleted, we can make due with contextless
                    // formatting cleanups. Contextless: it is only necessary to look at the items around.
                    cleanupContextlessFormattingGap(t, item);
                }
            });
            for (YText yText : needFullCleanup) {
                yText.cleanupFormatting();
            }
            return null;
        }, null, true);
    }

    private Position deleteText(Transaction transaction, Position currPos, int len) {
        int startLength = len;
        Map<String, Object> startAttrs = currPos.currentAttributes.isEmpty() ? Map.of()
                : new LinkedHashMap<>(currPos.currentAttributes);
        Item startItem = currPos.right;
        while (len > 0 && currPos.right != null) {
            Item r = currPos.right;
            if (!r.isDeleted() && (r.content instanceof ContentType || r.content instanceof ContentEmbed
                    || r.content instanceof ContentString)) {
                if (len < r.length) {
                    transaction.doc.store.getItemCleanStart(transaction, new ID(r.id.client(), r.id.clock() + len));
                }
                len -= r.length;
                r.delete(transaction);
            }
            currPos.forward();
        }
        if (startItem != null && mayHaveFormatMarks) {
            cleanupFormattingGap(transaction, startItem, currPos.right, startAttrs, currPos.mutableAttributes());
        }
        Item any = currPos.left != null ? currPos.left : currPos.right;
        AbstractType parent = (AbstractType) any.parent;
        if (parent.searchMarkers != null) {
            parent.searchMarkers.update(currPos.index, -startLength + len);
        }
        return currPos;
    }
}
