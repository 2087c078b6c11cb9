package dev.quire.crdt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A shared type: a list of items ({@link #start}) and a map of keyed items ({@link #map}), either of which a
 * concrete type uses (Yjs types/AbstractType.js). The list and map algorithms here are shared by text, array,
 * map and the types Quire only carries along.
 */
public abstract class AbstractType {
    /** The item that holds this type, or null for a root type. */
    Item item;
    /** For each key, the item holding its current (rightmost) value. */
    Map<String, Item> map = new LinkedHashMap<>();
    Item start;
    Doc doc;
    /** Number of visible list units. */
    int length;
    SearchMarkers searchMarkers;
    /** Position index over the list, built on first use and kept up to date from then on. */
    ItemIndex index;
    private final List<Consumer<YEvent>> observers = new CopyOnWriteArrayList<>();
    final List<Consumer<List<YEvent>>> deepObservers = new CopyOnWriteArrayList<>();

    AbstractType() {
    }

    void integrate(Doc y, Item item) {
        this.doc = y;
        this.item = item;
    }

    /** A new, empty type of the same kind (used when content is copied, e.g. by undo). */
    abstract AbstractType copyEmpty();

    /** Writes the type's ref (and name, for the XML kinds) as ContentType does. */
    abstract void writeTypeRef(UpdateEncoder encoder);

    /** A JSON-like view of the content. */
    public abstract Object toJson();

    public Doc doc() {
        return doc;
    }

    /** The type that contains this one, or null for a root type. */
    public AbstractType parent() {
        return item == null ? null : (AbstractType) item.parent;
    }

    String rootName() {
        for (Map.Entry<String, AbstractType> e : doc.share.entrySet()) {
            if (e.getValue() == this) {
                return e.getKey();
            }
        }
        throw new IllegalStateException("type is not a root type of its document");
    }

    ItemIndex index() {
        if (index == null) {
            index = ItemIndex.build(this);
        }
        return index;
    }

    void requireIntegrated() {
        if (doc == null) {
            throw new IllegalStateException("this type is not part of a document yet: insert it first");
        }
    }

    public Runnable observe(Consumer<YEvent> f) {
        observers.add(f);
        return () -> observers.remove(f);
    }

    public Runnable observeDeep(Consumer<List<YEvent>> f) {
        deepObservers.add(f);
        return () -> deepObservers.remove(f);
    }

    /** Creates this type's event for a transaction and hands it to observers (Yjs _callObserver). */
    void callObserver(Transaction transaction, java.util.Set<String> parentSubs) {
        if (!transaction.local && searchMarkers != null) {
            searchMarkers.clear();
        }
        callTypeObservers(transaction, new YEvent(this, transaction, parentSubs));
    }

    final void callTypeObservers(Transaction transaction, YEvent event) {
        AbstractType type = this;
        while (true) {
            transaction.changedParentTypes.computeIfAbsent(type, t -> new ArrayList<>()).add(event);
            if (type.item == null) {
                break;
            }
            type = (AbstractType) type.item.parent;
        }
        for (Consumer<YEvent> f : observers) {
            f.accept(event);
        }
    }

    void callDeepObservers(List<YEvent> events, Transaction transaction) {
        for (Consumer<List<YEvent>> f : deepObservers) {
            f.accept(events);
        }
    }

    // ---- list operations (Yjs typeList*) ----

    List<Object> listToArray() {
        List<Object> cs = new ArrayList<>();
        for (Item n = start; n != null; n = n.right) {
            if (n.visible()) {
                cs.addAll(n.content.values());
            }
        }
        return cs;
    }

    Object listGet(int index) {
        SearchMarkers.Marker marker = SearchMarkers.find(this, index);
        Item n = start;
        if (marker != null) {
            n = marker.p;
            index -= marker.index;
        }
        for (; n != null; n = n.right) {
            if (n.visible()) {
                if (index < n.length) {
                    return n.content.values().get(index);
                }
                index -= n.length;
            }
        }
        throw new IndexOutOfBoundsException("index " + index + " is beyond the end");
    }

    /** Inserts values after {@code referenceItem} (null: at the start), packing JSON values into one item. */
    void listInsertAfter(Transaction transaction, Item referenceItem, List<?> content) {
        Item left = referenceItem;
        Item right = referenceItem == null ? start : referenceItem.right;
        List<Object> jsonContent = new ArrayList<>();
        for (Object c : content) {
            Content special = specialContent(c);
            if (special == null) {
                jsonContent.add(c);
                continue;
            }
            if (!jsonContent.isEmpty()) {
                left = insertItem(transaction, left, right, new ContentAny(jsonContent));
                jsonContent = new ArrayList<>();
            }
            left = insertItem(transaction, left, right, special);
        }
        if (!jsonContent.isEmpty()) {
            insertItem(transaction, left, right, new ContentAny(jsonContent));
        }
    }

    private Item insertItem(Transaction transaction, Item left, Item right, Content content) {
        Item item = Item.local(transaction, left, right, this, null, content);
        item.integrate(transaction, 0);
        return item;
    }

    /** Content for values that are not plain JSON: byte arrays and nested types. Null for JSON values. */
    static Content specialContent(Object c) {
        if (c instanceof byte[] bytes) {
            return new ContentBinary(bytes);
        }
        if (c instanceof AbstractType t) {
            if (t.doc != null) {
                throw new IllegalArgumentException("this type is already part of a document");
            }
            return new ContentType(t);
        }
        checkJsonValue(c);
        return null;
    }

    static void checkJsonValue(Object c) {
        if (c == null || c instanceof String || c instanceof Number || c instanceof Boolean
                || c instanceof Map || c instanceof List || c == dev.quire.crdt.encoding.Any.UNDEFINED) {
            return;
        }
        throw new IllegalArgumentException("unsupported value type: " + c.getClass().getName());
    }

    void listInsert(Transaction transaction, int index, List<?> content) {
        if (index > length || index < 0) {
            throw new IndexOutOfBoundsException("index " + index + " is beyond the length " + length);
        }
        if (index == 0) {
            if (searchMarkers != null) {
                searchMarkers.update(index, content.size());
            }
            listInsertAfter(transaction, null, content);
            return;
        }
        int startIndex = index;
        SearchMarkers.Marker marker = SearchMarkers.find(this, index);
        Item n = start;
        if (marker != null) {
            n = marker.p;
            index -= marker.index;
            if (index == 0) {
                // take the undeleted item to the left so that the index can actually decrease
                n = n.prev();
                index += (n != null && n.visible()) ? n.length : 0;
            }
        }
        for (; n != null; n = n.right) {
            if (n.visible()) {
                if (index <= n.length) {
                    if (index < n.length) {
                        transaction.doc.store.getItemCleanStart(transaction, new ID(n.id.client(), n.id.clock() + index));
                    }
                    break;
                }
                index -= n.length;
            }
        }
        if (searchMarkers != null) {
            searchMarkers.update(startIndex, content.size());
        }
        listInsertAfter(transaction, n, content);
    }

    void listPush(Transaction transaction, List<?> content) {
        SearchMarkers.Marker best = searchMarkers == null ? null : searchMarkers.highest();
        Item n = best == null ? start : best.p;
        if (n != null) {
            while (n.right != null) {
                n = n.right;
            }
        }
        listInsertAfter(transaction, n, content);
    }

    void listDelete(Transaction transaction, int index, int len) {
        if (len == 0) {
            return;
        }
        if (index < 0 || len < 0) {
            throw new IndexOutOfBoundsException("negative index or length");
        }
        int startIndex = index;
        int startLength = len;
        SearchMarkers.Marker marker = SearchMarkers.find(this, index);
        Item n = start;
        if (marker != null) {
            n = marker.p;
            index -= marker.index;
        }
        StructStore store = transaction.doc.store;
        // compute the first item to be deleted
        for (; n != null && index > 0; n = n.right) {
            if (n.visible()) {
                if (index < n.length) {
                    store.getItemCleanStart(transaction, new ID(n.id.client(), n.id.clock() + index));
                }
                index -= n.length;
            }
        }
        // delete all items until done
        while (len > 0 && n != null) {
            if (!n.isDeleted()) {
                if (len < n.length) {
                    store.getItemCleanStart(transaction, new ID(n.id.client(), n.id.clock() + len));
                }
                n.delete(transaction);
                len -= n.length;
            }
            n = n.right;
        }
        if (len > 0) {
            throw new IndexOutOfBoundsException("length exceeded: " + len + " more than the content");
        }
        if (searchMarkers != null) {
            searchMarkers.update(startIndex, -startLength + len);
        }
    }

    // ---- map operations (Yjs typeMap*) ----

    void mapDelete(Transaction transaction, String key) {
        Item c = map.get(key);
        if (c != null) {
            c.delete(transaction);
        }
    }

    void mapSet(Transaction transaction, String key, Object value) {
        Item left = map.get(key);
        Content content = specialContent(value);
        if (content == null) {
            List<Object> one = new ArrayList<>(1);
            one.add(value);
            content = new ContentAny(one);
        }
        Item.local(transaction, left, null, this, key, content).integrate(transaction, 0);
    }

    Object mapGet(String key) {
        Item val = map.get(key);
        if (val == null || val.isDeleted()) {
            return null;
        }
        List<Object> values = val.content.values();
        return values.get(val.length - 1);
    }

    boolean mapHas(String key) {
        Item val = map.get(key);
        return val != null && !val.isDeleted();
    }

    Map<String, Object> mapGetAll() {
        Map<String, Object> res = new LinkedHashMap<>();
        for (Map.Entry<String, Item> e : map.entrySet()) {
            Item v = e.getValue();
            if (!v.isDeleted()) {
                res.put(e.getKey(), v.content.values().get(v.length - 1));
            }
        }
        return res;
    }

    static Object toJsonValue(Object v) {
        return v instanceof AbstractType t ? t.toJson() : v;
    }
}
