package dev.quire.crdt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/** A change to one shared type within one transaction, handed to its observers. */
public class YEvent {
    private final AbstractType target;
    private final Transaction transaction;
    private final Set<String> keysChanged;
    private final boolean childListChanged;

    YEvent(AbstractType target, Transaction transaction, Set<String> subs) {
        this.target = target;
        this.transaction = transaction;
        boolean list = subs.contains(null);
        if (subs.size() == (list ? 1 : 0)) {
            this.keysChanged = Set.of(); // the common case of a text or list edit: no keys
        } else {
            java.util.LinkedHashSet<String> keys = new java.util.LinkedHashSet<>(subs);
            keys.remove(null);
            this.keysChanged = Collections.unmodifiableSet(keys);
        }
        this.childListChanged = list;
    }

    public AbstractType target() {
        return target;
    }

    public Transaction transaction() {
        return transaction;
    }

    /** Map keys (or text attributes) that changed. */
    public Set<String> keysChanged() {
        return keysChanged;
    }

    /** Whether the list part (text, array elements) changed. */
    public boolean childListChanged() {
        return childListChanged;
    }

    /** Whether the item was added in this event's transaction. */
    boolean adds(Item item) {
        return item.id.clock() >= transaction.beforeState(item.id.client());
    }

    /** Whether the item was deleted in this event's transaction. */
    boolean deletes(Item item) {
        return transaction.deleteSet.isDeleted(item.id);
    }

    int pathLength() {
        int n = 0;
        AbstractType t = target;
        while (t.item != null) {
            n++;
            t = (AbstractType) t.item.parent;
        }
        return n;
    }

    /** Path from the root type to the target: map keys and list indexes. */
    public List<Object> path() {
        List<Object> path = new ArrayList<>();
        AbstractType child = target;
        while (child.item != null) {
            Item item = child.item;
            AbstractType parent = (AbstractType) item.parent;
            if (item.parentSub != null) {
                path.add(0, item.parentSub);
            } else {
                int i = 0;
                for (Item c = parent.start; c != item && c != null; c = c.right) {
                    if (c.visible()) {
                        i += c.length;
                    }
                }
                path.add(0, i);
            }
            child = parent;
        }
        return path;
    }
}
