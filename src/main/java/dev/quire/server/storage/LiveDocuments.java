package dev.quire.server.storage;

import dev.quire.crdt.Doc;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The in-memory state of recently used documents, against which new updates are validated, and the per-document
 * locks that make "apply, then commit" one step.
 *
 * <p>A {@link Doc} is not thread-safe, so each document has one owner at a time: whoever holds its lock. Locks are
 * striped (a fixed array, picked by the id's hash) so that they need no cleanup; two documents sharing a stripe only
 * wait for each other. The cache is a small LRU: an evicted document is rebuilt from the database on its next use.
 * Every read or write of a document's entry happens under that document's lock, so a rebuild always sees every
 * commit made before it.
 */
final class LiveDocuments {

    /**
     * A document's live state: the document core's view of snapshot + log, the last stored seq, and which user each
     * Yjs client id is bound to (a mirror of the committed {@code client_ids} rows, so that checking an update costs
     * no query).
     */
    static final class Live {
        final Doc doc;
        long lastSeq;
        final Map<Long, String> clientOwners;
        /** Updates in the log beyond the snapshot (H2DocumentStore compacts every so many). */
        int sinceSnapshot;

        Live(Doc doc, long lastSeq, Map<Long, String> clientOwners) {
            this.doc = doc;
            this.lastSeq = lastSeq;
            this.clientOwners = clientOwners;
        }
    }

    private final ReentrantLock[] stripes = new ReentrantLock[256];
    private final Map<String, Live> cache;
    /** Guarded by {@link #cache}: documents kept in memory whatever the capacity, with how many holders each. */
    private final Map<String, Integer> pins = new HashMap<>();

    /** @param capacity how many documents that nobody {@link #pin}s to keep */
    LiveDocuments(int capacity) {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Live> eldest) {
                if (size() - pinnedHere() <= capacity) {
                    return false;
                }
                // the least recently used document nobody pins goes (removing it here, as the javadoc allows)
                for (Iterator<String> it = keySet().iterator(); it.hasNext(); ) {
                    if (!pins.containsKey(it.next())) {
                        it.remove();
                        break;
                    }
                }
                return false;
            }

            private int pinnedHere() {
                int n = 0;
                for (String id : pins.keySet()) {
                    if (containsKey(id)) {
                        n++;
                    }
                }
                return n;
            }
        };
    }

    /**
     * Keeps a document in memory until the returned handle is closed, so that documents in use (open in the sync
     * server) are never rebuilt from the database however many there are; the capacity bounds only the others.
     * Holders are counted; closing a handle twice counts once.
     */
    Runnable pin(String docId) {
        synchronized (cache) {
            pins.merge(docId, 1, Integer::sum);
        }
        boolean[] released = {false};
        return () -> {
            synchronized (cache) {
                if (released[0]) {
                    return;
                }
                released[0] = true;
                pins.computeIfPresent(docId, (id, n) -> n == 1 ? null : n - 1);
            }
        };
    }

    ReentrantLock lockFor(String docId) {
        return stripes[(docId.hashCode() & 0x7fffffff) % stripes.length];
    }

    /** The live state of a document, loaded on a miss. The caller holds {@link #lockFor}(docId). */
    Live get(String docId, Supplier<Live> load) {
        assert lockFor(docId).isHeldByCurrentThread();
        Live live;
        synchronized (cache) {
            live = cache.get(docId);
        }
        if (live == null) {
            live = load.get();
            synchronized (cache) {
                cache.put(docId, live);
            }
        }
        return live;
    }

    /** Forgets a document's live state (deleted, or possibly ahead of the database after a failed commit). */
    void evict(String docId) {
        assert lockFor(docId).isHeldByCurrentThread();
        synchronized (cache) {
            cache.remove(docId);
        }
    }

    void clear() {
        synchronized (cache) {
            cache.clear();
        }
    }
}
