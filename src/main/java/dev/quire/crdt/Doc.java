package dev.quire.crdt;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A collaborative document: named root types ({@link YText}, {@link YMap}, {@link YArray}) whose changes are
 * exchanged as Yjs v1 updates (Yjs utils/Doc.js).
 *
 * <p>Not thread-safe: one owner thread (or one lock) per document, like the UI toolkit's own objects.
 */
public final class Doc {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Receives every update this document produces, local or applied, as v1 bytes. */
    @FunctionalInterface
    public interface UpdateListener {
        void onUpdate(byte[] update, Object origin, Transaction transaction);
    }

    private long clientId;
    final boolean gc;
    final StructStore store = new StructStore();
    final Map<String, AbstractType> share = new LinkedHashMap<>();
    private Transaction transaction;
    private List<Transaction> transactionCleanups = new ArrayList<>();
    private final List<UpdateListener> updateListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Transaction>> afterTransactionListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Transaction>> beforeTransactionListeners = new CopyOnWriteArrayList<>();

    /** A document with a random 32-bit client id and garbage collection on (as in Yjs). */
    public Doc() {
        this(randomClientId(), true);
    }

    public Doc(long clientId) {
        this(clientId, true);
    }

    public Doc(long clientId, boolean gc) {
        if (clientId < 0 || clientId > 0x1F_FFFF_FFFF_FFFFL) {
            throw new IllegalArgumentException("client id must be in 0..2^53-1: " + clientId);
        }
        this.clientId = clientId;
        this.gc = gc;
    }

    /** Random unsigned 32-bit id, like Yjs's generateNewClientId. */
    public static long randomClientId() {
        return RANDOM.nextInt() & 0xFFFFFFFFL;
    }

    public long clientId() {
        return clientId;
    }

    /**
     * Changes the id this document writes with. Only for tools that replay recorded histories with a pool of
     * replicas (as {@code quire trace} does); a live document must keep its id, or its edits could collide.
     */
    public void setClientId(long clientId) {
        if (transaction != null) {
            throw new IllegalStateException("cannot change the client id inside a transaction");
        }
        this.clientId = clientId;
    }

    void regenerateClientId() {
        clientId = randomClientId();
    }

    public boolean gcEnabled() {
        return gc;
    }

    public YText getText(String name) {
        return get(name, YText.class, YText::new);
    }

    public YMap getMap(String name) {
        return get(name, YMap.class, YMap::new);
    }

    public YArray getArray(String name) {
        return get(name, YArray.class, YArray::new);
    }

    /** The names of the root types this document knows (including types only a remote peer has used). */
    public List<String> rootNames() {
        return List.copyOf(share.keySet());
    }

    /** A root type of unknown kind, as decoding creates it until a caller asks for a concrete type. */
    AbstractType getRoot(String name) {
        return share.computeIfAbsent(name, n -> {
            AbstractType t = new UnknownType();
            t.integrate(this, null);
            return t;
        });
    }

    private <T extends AbstractType> T get(String name, Class<T> cls, Supplier<T> factory) {
        AbstractType type = share.get(name);
        if (type == null) {
            T t = factory.get();
            t.integrate(this, null);
            share.put(name, t);
            return t;
        }
        if (cls.isInstance(type)) {
            return cls.cast(type);
        }
        if (type instanceof UnknownType) {
            // adopt the content that arrived before anyone asked for this root's type
            T t = factory.get();
            t.map = type.map;
            for (Item n : t.map.values()) {
                for (; n != null; n = n.left) {
                    n.parent = t;
                }
            }
            t.start = type.start;
            for (Item n = t.start; n != null; n = n.right) {
                n.parent = t;
            }
            t.length = type.length;
            if (t instanceof YText text) {
                text.mayHaveFormatMarks = true; // the adopted content may hold format marks
            }
            share.put(name, t);
            t.integrate(this, null);
            return t;
        }
        throw new IllegalStateException("root type '" + name + "' is a " + type.getClass().getSimpleName()
                + ", not a " + cls.getSimpleName());
    }

    /** Runs {@code f} in a transaction with a null origin. */
    public void transact(Consumer<Transaction> f) {
        transact(f, null);
    }

    public void transact(Consumer<Transaction> f, Object origin) {
        transact(t -> {
            f.accept(t);
            return null;
        }, origin, true);
    }

    /**
     * Runs {@code f} in a transaction (nested calls join the outer one). When the outermost transaction ends,
     * observers run, deleted content is collected, structs are merged and the update is emitted.
     */
    <R> R transact(Function<Transaction, R> f, Object origin, boolean local) {
        boolean initialCall = false;
        if (transaction == null) {
            initialCall = true;
            transaction = new Transaction(this, origin, local);
            transactionCleanups.add(transaction);
            for (Consumer<Transaction> l : beforeTransactionListeners) {
                l.accept(transaction);
            }
        }
        try {
            return f.apply(transaction);
        } finally {
            if (initialCall) {
                boolean finishCleanup = transaction == transactionCleanups.get(0);
                transaction = null;
                if (finishCleanup) {
                    // observers may open new transactions; they are cleaned up one after the other, not nested
                    Transaction.cleanupTransactions(transactionCleanups, 0);
                }
            }
        }
    }

    Transaction currentTransaction() {
        return transaction;
    }

    void clearCleanups() {
        transactionCleanups = new ArrayList<>();
    }

    void afterTransaction(Transaction t) {
        for (Consumer<Transaction> l : afterTransactionListeners) {
            l.accept(t);
        }
    }

    void afterTransactionCleanup(Transaction t) {
        if (!updateListeners.isEmpty() && t.hasChanges()) {
            byte[] update = t.encodeUpdate();
            for (UpdateListener l : updateListeners) {
                l.onUpdate(update, t.origin, t);
            }
        }
    }

    /** Listens to every update (local and remote); returns a handle that removes the listener. */
    public Runnable onUpdate(UpdateListener listener) {
        updateListeners.add(listener);
        return () -> updateListeners.remove(listener);
    }

    public Runnable onAfterTransaction(Consumer<Transaction> listener) {
        afterTransactionListeners.add(listener);
        return () -> afterTransactionListeners.remove(listener);
    }

    public Runnable onBeforeTransaction(Consumer<Transaction> listener) {
        beforeTransactionListeners.add(listener);
        return () -> beforeTransactionListeners.remove(listener);
    }

    /** The state vector: which clocks of which clients this document has. */
    public StateVector stateVector() {
        return store.getStateVector();
    }

    /** Whether some received content waits for updates that have not arrived. */
    public boolean hasPending() {
        return store.pendingStructs != null || store.pendingDs != null;
    }

    /** JSON-like view of every root type. */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, AbstractType> e : share.entrySet()) {
            out.put(e.getKey(), e.getValue().toJson());
        }
        return Collections.unmodifiableMap(out);
    }
}
