package dev.quire.crdt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A group of changes applied together: observers, undo and update events see one transaction as one change
 * (Yjs utils/Transaction.js). Created by {@link Doc#transact}.
 */
public final class Transaction {
    final Doc doc;
    final DeleteSet deleteSet = new DeleteSet();
    final StateVector beforeState;
    StateVector afterState;
    /** Types whose content changed, with the map keys that changed (null for the list part). */
    final Map<AbstractType, Set<String>> changed = new LinkedHashMap<>();
    final Map<AbstractType, List<YEvent>> changedParentTypes = new LinkedHashMap<>();
    /** Items that were split and may merge again at the end. */
    final List<Item> mergeStructs = new ArrayList<>();
    final Object origin;
    boolean local;
    private Map<Object, Object> meta;
    boolean needFormattingCleanup;

    Transaction(Doc doc, Object origin, boolean local) {
        this.doc = doc;
        this.origin = origin;
        this.local = local;
        this.beforeState = doc.store.getStateVector();
    }

    public Doc doc() {
        return doc;
    }

    /** The origin given to {@link Doc#transact}; for applied updates, the origin passed with the update. */
    public Object origin() {
        return origin;
    }

    /** True for changes made on this document, false for applied remote updates. */
    public boolean isLocal() {
        return local;
    }

    /** Free-form data that observers of the same transaction share (created on first use). */
    public Map<Object, Object> meta() {
        if (meta == null) {
            meta = new HashMap<>();
        }
        return meta;
    }

    int beforeState(long client) {
        return beforeState.get(client);
    }

    void addChangedType(AbstractType type, String parentSub) {
        Item item = type.item;
        if (item == null || (item.id.clock() < beforeState(item.id.client()) && !item.isDeleted())) {
            changed.computeIfAbsent(type, t -> new LinkedHashSet<>()).add(parentSub);
        }
    }

    ID nextId() {
        return new ID(doc.clientId(), doc.store.getState(doc.clientId()));
    }

    /** Whether the transaction changed anything that an update would carry. */
    boolean hasChanges() {
        if (!deleteSet.isEmpty()) {
            return true;
        }
        for (int i = 0; i < afterState.size(); i++) {
            if (beforeState.get(afterState.clientAt(i)) != afterState.clockAt(i)) {
                return true; // a client absent before has clock 0 there, and every present client has a clock > 0
            }
        }
        return false;
    }

    /** The update describing this transaction's changes (Yjs writeUpdateMessageFromTransaction). */
    byte[] encodeUpdate() {
        deleteSet.sortAndMerge();
        UpdateEncoder encoder = new UpdateEncoder();
        Updates.writeClientsStructs(encoder, doc.store, beforeState);
        deleteSet.write(encoder);
        return encoder.toByteArray();
    }

    // ---- cleanup at the end of a transaction (Yjs cleanupTransactions) ----

    /** Merges {@code structs[pos]} into its left neighbours while possible; returns how many were merged. */
    static int tryToMergeWithLefts(StructList structs, int pos) {
        AbstractStruct right = structs.get(pos);
        AbstractStruct left = structs.get(pos - 1);
        int i = pos;
        for (; i > 0; right = left, left = i - 2 >= 0 ? structs.get(i - 2) : null, i--) {
            if (left.isDeleted() == right.isDeleted() && left.getClass() == right.getClass()) {
                if (left.mergeWith(right)) {
                    if (right instanceof Item ri && ri.parentSub != null
                            && ((AbstractType) ri.parent).map.get(ri.parentSub) == ri) {
                        ((AbstractType) ri.parent).map.put(ri.parentSub, (Item) left);
                    }
                    continue;
                }
            }
            break;
        }
        int merged = pos - i;
        if (merged > 0) {
            structs.remove(pos + 1 - merged, merged);
        }
        return merged;
    }

    static void tryGcDeleteSet(DeleteSet ds, StructStore store) {
        for (Map.Entry<Long, DeleteSet.Ranges> e : ds.clients.entrySet()) {
            StructList structs = store.clients.get(e.getKey());
            DeleteSet.Ranges r = e.getValue();
            for (int di = r.size - 1; di >= 0; di--) {
                int endDeleteItemClock = r.clocks[di] + r.lens[di];
                for (int si = structs.findIndex(r.clocks[di]); si < structs.size(); si++) {
                    AbstractStruct struct = structs.get(si);
                    if (struct.id.clock() >= endDeleteItemClock) {
                        break;
                    }
                    if (struct instanceof Item item && item.isDeleted() && !item.keep()) {
                        item.gc(store, false);
                    }
                }
            }
        }
    }

    static void tryMergeDeleteSet(DeleteSet ds, StructStore store) {
        // merge from right to left for efficiency and so that no merge target is missed
        for (Map.Entry<Long, DeleteSet.Ranges> e : ds.clients.entrySet()) {
            StructList structs = store.clients.get(e.getKey());
            DeleteSet.Ranges r = e.getValue();
            for (int di = r.size - 1; di >= 0; di--) {
                int mostRightIndexToCheck = Math.min(structs.size() - 1,
                        1 + structs.findIndex(r.clocks[di] + r.lens[di] - 1));
                for (int si = mostRightIndexToCheck; si > 0 && structs.get(si).id.clock() >= r.clocks[di]; ) {
                    si -= 1 + tryToMergeWithLefts(structs, si);
                }
            }
        }
    }

    /**
     * Ends the transactions in {@code cleanups} one after the other (observers may add more). Cleanup always runs,
     * even when an observer throws; the first observer exception is rethrown once every transaction is done, so
     * the document is never left half-finished (Yjs nests try/finally for the same reason).
     */
    static void cleanupTransactions(List<Transaction> cleanups, int i) {
        RuntimeException observerError = null;
        Doc doc = cleanups.get(i).doc;
        for (; i < cleanups.size(); i++) {
            Transaction transaction = cleanups.get(i);
            transaction.deleteSet.sortAndMerge();
            transaction.afterState = doc.store.getStateVector();
            try {
                transaction.callObservers();
            } catch (RuntimeException e) {
                if (observerError == null) {
                    observerError = e;
                }
            }
            try {
                transaction.finish();
            } catch (RuntimeException e) {
                // only update listeners can throw here; the store is consistent by then
                if (observerError == null) {
                    observerError = e;
                }
            }
        }
        doc.clearCleanups();
        if (observerError != null) {
            throw observerError;
        }
    }

    /** Collects deleted content, merges structs and emits the update (the end of Yjs cleanupTransactions). */
    private void finish() {
        StructStore store = doc.store;
        DeleteSet ds = deleteSet;
        // replace deleted content with ContentDeleted / GC: this is where content is really removed
        if (doc.gc) {
            tryGcDeleteSet(ds, store);
        }
        tryMergeDeleteSet(ds, store);
        // on every client that got new structs, try to merge them
        for (int i = 0; i < afterState.size(); i++) {
            long client = afterState.clientAt(i);
            int beforeClock = beforeState(client);
            if (beforeClock != afterState.clockAt(i)) {
                StructList structs = store.list(client);
                int firstChangePos = Math.max(structs.findIndex(beforeClock), 1);
                for (int k = structs.size() - 1; k >= firstChangePos; ) {
                    k -= 1 + tryToMergeWithLefts(structs, k);
                }
            }
        }
        for (int k = mergeStructs.size() - 1; k >= 0; k--) {
            ID id = mergeStructs.get(k).id;
            StructList structs = store.clients.get(id.client());
            int replacedStructPos = structs.findIndex(id.clock());
            if (replacedStructPos + 1 < structs.size()) {
                if (tryToMergeWithLefts(structs, replacedStructPos + 1) > 1) {
                    continue; // both are merged already
                }
            }
            if (replacedStructPos > 0) {
                tryToMergeWithLefts(structs, replacedStructPos);
            }
        }
        if (!local && afterState.get(doc.clientId()) != beforeState(doc.clientId())) {
            // another peer wrote with our client id: pick a new one so our ids stay unique
            doc.regenerateClientId();
        }
        doc.afterTransactionCleanup(this);
    }

    /**
     * Observers, deep observers, after-transaction listeners, then the formatting cleanup, in Yjs's order. Every
     * step runs even if an earlier one throws; the first exception is rethrown at the end.
     */
    private void callObservers() {
        RuntimeException first = null;
        for (Map.Entry<AbstractType, Set<String>> e : changed.entrySet()) {
            AbstractType type = e.getKey();
            try {
                if (type.item == null || !type.item.isDeleted()) {
                    type.callObserver(this, e.getValue());
                }
            } catch (RuntimeException ex) {
                first = first == null ? ex : first;
            }
        }
        for (Map.Entry<AbstractType, List<YEvent>> e : changedParentTypes.entrySet()) {
            AbstractType type = e.getKey();
            if (type.deepObservers.isEmpty() || (type.item != null && type.item.isDeleted())) {
                continue;
            }
            List<YEvent> events = new ArrayList<>();
            for (YEvent ev : e.getValue()) {
                if (ev.target().item == null || !ev.target().item.isDeleted()) {
                    events.add(ev);
                }
            }
            // top-level events first
            events.sort((a, b) -> Integer.compare(a.pathLength(), b.pathLength()));
            try {
                type.callDeepObservers(events, this);
            } catch (RuntimeException ex) {
                first = first == null ? ex : first;
            }
        }
        try {
            doc.afterTransaction(this);
        } catch (RuntimeException ex) {
            first = first == null ? ex : first;
        }
        if (needFormattingCleanup) {
            try {
                YText.cleanupAfterTransaction(this);
            } catch (RuntimeException ex) {
                first = first == null ? ex : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
