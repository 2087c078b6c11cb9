package dev.quire.server.storage;

import dev.quire.crdt.Doc;
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

        Live(Doc doc, long lastSeq, Map<Long, String> clientOwners) {
            this.doc = doc;
            this.lastSeq = lastSeq;
            this.clientOwners = clientOwners;
        }
    }

    private final ReentrantLock[] stripes = new ReentrantLock[256];
    private final Map<String, Live> cache;

    LiveDocuments(int capacity) {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Live> eldest) {
                return size() > capacity;
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
