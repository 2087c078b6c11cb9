package dev.quire.crdt;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Undo and redo of one user's changes to some shared types, on top of the CRDT (Yjs utils/UndoManager.js).
 *
 * <p>It records the transactions whose origin it tracks (by default: local edits made without an origin, and its own
 * undo/redo) and that changed a type in its scope. Undo deletes exactly the items those transactions inserted and
 * re-creates the items they deleted, as new copies linked from the originals (see Redo). Changes made by other peers
 * meanwhile stay, because undo never touches an item it did not record. Undo and redo run as local transactions with
 * this manager as origin, so they travel to other peers like any edit.
 *
 * <p>Transactions that follow each other within {@code captureTimeout} (500 ms by default) form one undo step, so
 * that a typed word undoes at once; {@link #stopCapturing()} ends a step early. Time comes from an injected clock.
 *
 * <p>Not thread-safe: use it on the document's owner thread.
 */
public final class UndoManager {
    /** Which stack a stack item was added to or popped from ("undo" / "redo" in Yjs events). */
    public enum StackKind { UNDO, REDO }

    /**
     * One undo (or redo) step: the clock ranges it inserted and the ranges it deleted. {@link #meta()} is for the
     * caller, e.g. to save the selection when the step is added and restore it when the step is popped.
     */
    public static final class StackItem {
        DeleteSet insertions;
        DeleteSet deletions;
        private final Map<Object, Object> meta = new LinkedHashMap<>();

        StackItem(DeleteSet deletions, DeleteSet insertions) {
            this.deletions = deletions;
            this.insertions = insertions;
        }

        public Map<Object, Object> meta() {
            return meta;
        }
    }

    /**
     * A stack item was added, updated (a change joined it within the capture timeout) or popped (undone or redone).
     *
     * @param origin             the origin of the transaction that caused the event
     * @param changedParentTypes the types (and their ancestors) that the transaction changed, with their events
     */
    public record StackItemEvent(StackItem stackItem, StackKind stack, Object origin,
                                 Map<AbstractType, List<YEvent>> changedParentTypes) {
    }

    /** {@link #clear} emptied one or both stacks. */
    public record StackCleared(boolean undoStackCleared, boolean redoStackCleared) {
    }

    private static final long NO_CHANGE = Long.MIN_VALUE;

    private final Doc doc;
    /** Shared types, or the whole document. */
    private final List<Object> scope = new ArrayList<>();
    /** Origins (and origin classes) whose transactions are recorded; a HashSet because null is a valid origin. */
    private final Set<Object> trackedOrigins;
    private final Predicate<Transaction> captureTransaction;
    private final boolean ignoreRemoteMapChanges;
    private final long captureTimeoutMillis;
    private final LongSupplier nowMillis;
    private List<StackItem> undoStack = new ArrayList<>();
    private List<StackItem> redoStack = new ArrayList<>();
    private boolean undoing;
    private boolean redoing;
    /** The stack item being undone or redone, while {@link #popStackItem} runs. */
    private StackItem currStackItem;
    private long lastChange = NO_CHANGE;
    private final List<Consumer<StackItemEvent>> addedListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<StackItemEvent>> updatedListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<StackItemEvent>> poppedListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<StackCleared>> clearedListeners = new CopyOnWriteArrayList<>();
    private final Runnable unsubscribe;

    /** Undo for changes to these types, with the defaults: local edits without origin, 500 ms capture, system time. */
    public UndoManager(AbstractType type, AbstractType... moreTypes) {
        this(builder(type, moreTypes));
    }

    private UndoManager(Builder b) {
        this.doc = b.doc;
        this.trackedOrigins = new HashSet<>(b.trackedOrigins);
        this.trackedOrigins.add(this);
        this.captureTransaction = b.captureTransaction;
        this.ignoreRemoteMapChanges = b.ignoreRemoteMapChanges;
        this.captureTimeoutMillis = b.captureTimeout.toMillis();
        this.nowMillis = b.nowMillis;
        scope.addAll(b.scope);
        this.unsubscribe = doc.onAfterTransaction(this::afterTransaction);
    }

    /** Options for an undo manager over these types (all in the same document). */
    public static Builder builder(AbstractType type, AbstractType... moreTypes) {
        List<AbstractType> types = new ArrayList<>();
        types.add(Objects.requireNonNull(type, "type"));
        types.addAll(Arrays.asList(moreTypes));
        for (AbstractType t : types) {
            t.requireIntegrated();
        }
        Doc d = type.doc;
        Builder b = new Builder(d);
        for (AbstractType t : types) {
            b.addScope(t);
        }
        return b;
    }

    /** Options for an undo manager over every type of the document. */
    public static Builder builder(Doc doc) {
        Builder b = new Builder(Objects.requireNonNull(doc, "doc"));
        b.scope.add(doc);
        return b;
    }

    /** Options with the Yjs defaults: tracked origins {null}, capture timeout 500 ms, system clock. */
    public static final class Builder {
        private final Doc doc;
        private final List<Object> scope = new ArrayList<>();
        private final Set<Object> trackedOrigins = new HashSet<>(Collections.singleton(null));
        private Duration captureTimeout = Duration.ofMillis(500);
        private LongSupplier nowMillis = Clock.systemUTC()::millis;
        private Predicate<Transaction> captureTransaction = t -> true;
        private boolean ignoreRemoteMapChanges;

        private Builder(Doc doc) {
            this.doc = doc;
        }

        private void addScope(AbstractType t) {
            if (t.doc != doc) {
                throw new IllegalArgumentException("all types of an undo manager must belong to the same document");
            }
            if (!scope.contains(t)) {
                scope.add(t);
            }
        }

        /** Replaces the tracked origins (the default is just {@code null}); the manager always tracks itself. */
        public Builder trackedOrigins(Set<?> origins) {
            trackedOrigins.clear();
            trackedOrigins.addAll(origins);
            return this;
        }

        /** Also tracks transactions with this origin, or whose origin is an instance of this {@link Class}. */
        public Builder trackOrigin(Object origin) {
            trackedOrigins.add(origin);
            return this;
        }

        public Builder captureTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("capture timeout must not be negative: " + timeout);
            }
            this.captureTimeout = timeout;
            return this;
        }

        public Builder clock(Clock clock) {
            this.nowMillis = clock::millis;
            return this;
        }

        /** The time in milliseconds; tests pass a fake clock. */
        public Builder clock(LongSupplier nowMillis) {
            this.nowMillis = Objects.requireNonNull(nowMillis);
            return this;
        }

        /** Transactions for which this returns false are not recorded. */
        public Builder captureTransaction(Predicate<Transaction> filter) {
            this.captureTransaction = Objects.requireNonNull(filter);
            return this;
        }

        /**
         * Lets undo overwrite map keys (and text attributes) that another peer has written since (Yjs's experimental
         * ignoreRemoteMapChanges). Off by default: undo never overwrites remote changes.
         */
        public Builder ignoreRemoteMapChanges(boolean ignore) {
            this.ignoreRemoteMapChanges = ignore;
            return this;
        }

        public UndoManager build() {
            return new UndoManager(this);
        }
    }

    public Doc doc() {
        return doc;
    }

    /** Extends the scope by more types of the same document. */
    public void addToScope(AbstractType... types) {
        for (AbstractType t : types) {
            t.requireIntegrated();
            if (t.doc != doc) {
                throw new IllegalArgumentException("all types of an undo manager must belong to the same document");
            }
            if (!scope.contains(t)) {
                scope.add(t);
            }
        }
    }

    public void addTrackedOrigin(Object origin) {
        trackedOrigins.add(origin);
    }

    public void removeTrackedOrigin(Object origin) {
        trackedOrigins.remove(origin);
    }

    public boolean canUndo() {
        return !undoStack.isEmpty();
    }

    public boolean canRedo() {
        return !redoStack.isEmpty();
    }

    public int undoStackSize() {
        return undoStack.size();
    }

    public int redoStackSize() {
        return redoStack.size();
    }

    /** Whether an undo is running (e.g. for an observer that wants to tell undo from typing). */
    public boolean isUndoing() {
        return undoing;
    }

    public boolean isRedoing() {
        return redoing;
    }

    /** Makes the next recorded change start a new undo step, however soon it comes. */
    public void stopCapturing() {
        lastChange = NO_CHANGE;
    }

    /** Undoes the last step that changes something; empty when there was nothing (left) to undo. */
    public Optional<StackItem> undo() {
        undoing = true;
        try {
            return Optional.ofNullable(popStackItem(undoStack, StackKind.UNDO));
        } finally {
            undoing = false;
        }
    }

    /** Redoes the last undone step; empty when there was nothing to redo. */
    public Optional<StackItem> redo() {
        redoing = true;
        try {
            return Optional.ofNullable(popStackItem(redoStack, StackKind.REDO));
        } finally {
            redoing = false;
        }
    }

    public void clear() {
        clear(true, true);
    }

    /** Empties the stacks and lets the content they kept be garbage collected. */
    public void clear(boolean clearUndoStack, boolean clearRedoStack) {
        if ((clearUndoStack && canUndo()) || (clearRedoStack && canRedo())) {
            doc.transact(tr -> {
                if (clearUndoStack) {
                    for (StackItem item : undoStack) {
                        releaseKeptItems(tr, item);
                    }
                    undoStack = new ArrayList<>();
                }
                if (clearRedoStack) {
                    for (StackItem item : redoStack) {
                        releaseKeptItems(tr, item);
                    }
                    redoStack = new ArrayList<>();
                }
                StackCleared event = new StackCleared(clearUndoStack, clearRedoStack);
                for (Consumer<StackCleared> l : clearedListeners) {
                    l.accept(event);
                }
            });
        }
    }

    /** Stops recording; the stacks stay as they are. */
    public void destroy() {
        trackedOrigins.remove(this);
        unsubscribe.run();
    }

    public Runnable onStackItemAdded(Consumer<StackItemEvent> listener) {
        return listen(addedListeners, listener);
    }

    /** A change joined the last stack item because it came within the capture timeout. */
    public Runnable onStackItemUpdated(Consumer<StackItemEvent> listener) {
        return listen(updatedListeners, listener);
    }

    public Runnable onStackItemPopped(Consumer<StackItemEvent> listener) {
        return listen(poppedListeners, listener);
    }

    public Runnable onStackCleared(Consumer<StackCleared> listener) {
        return listen(clearedListeners, listener);
    }

    private static <T> Runnable listen(List<Consumer<T>> listeners, Consumer<T> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    // ---- recording (Yjs afterTransactionHandler) ----

    /**
     * Whether the transaction's origin is tracked, or the class of its origin. Unlike Yjs, the null origin only
     * stands for local edits: an update applied without an origin comes from another peer, and undo must never
     * revert another peer's changes (in Yjs every provider has to pass its own origin to avoid that).
     */
    private boolean isTracked(Transaction transaction) {
        Object origin = transaction.origin;
        if (origin == null) {
            return transaction.local && trackedOrigins.contains(null);
        }
        return trackedOrigins.contains(origin) || trackedOrigins.contains(origin.getClass());
    }

    private boolean inScope(Item item) {
        for (Object s : scope) {
            if (s == doc || (s instanceof AbstractType t && Redo.isParentOf(t, item))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the transaction changed a type in scope. With the whole document as scope, Yjs records even a
     * transaction that changed nothing (such as the one {@link #clear} runs); Quire requires some changed type, so
     * that {@link #canUndo()} does not report empty steps.
     */
    private boolean changedScope(Transaction transaction) {
        for (Object s : scope) {
            if (s == doc ? !transaction.changedParentTypes.isEmpty() : transaction.changedParentTypes.containsKey(s)) {
                return true;
            }
        }
        return false;
    }

    private void afterTransaction(Transaction transaction) {
        if (!captureTransaction.test(transaction) || !changedScope(transaction) || !isTracked(transaction)) {
            return;
        }
        boolean wasUndoing = undoing;
        boolean wasRedoing = redoing;
        // what an undo changes goes onto the redo stack, everything else onto the undo stack
        List<StackItem> stack = wasUndoing ? redoStack : undoStack;
        if (wasUndoing) {
            stopCapturing(); // the next undo must not join this step
        } else if (!wasRedoing) {
            clear(false, true); // a new change makes the undone steps unreachable
        }
        DeleteSet insertions = new DeleteSet();
        StateVector after = transaction.afterState;
        for (int i = 0; i < after.size(); i++) {
            int startClock = transaction.beforeState(after.clientAt(i));
            int len = after.clockAt(i) - startClock;
            if (len > 0) {
                insertions.add(after.clientAt(i), startClock, len);
            }
        }
        long now = nowMillis.getAsLong();
        boolean didAdd = false;
        if (lastChange != NO_CHANGE && now - lastChange < captureTimeoutMillis && !stack.isEmpty()
                && !wasUndoing && !wasRedoing) {
            StackItem lastOp = stack.get(stack.size() - 1);
            lastOp.deletions = DeleteSet.merge(List.of(lastOp.deletions, transaction.deleteSet));
            lastOp.insertions = DeleteSet.merge(List.of(lastOp.insertions, insertions));
        } else {
            stack.add(new StackItem(transaction.deleteSet, insertions));
            didAdd = true;
        }
        if (!wasUndoing && !wasRedoing) {
            lastChange = now;
        }
        // keep the deleted content from being garbage collected: undo copies it
        transaction.deleteSet.iterateDeletedStructs(transaction, struct -> {
            if (struct instanceof Item item && inScope(item)) {
                Redo.keepItem(item, true);
            }
        });
        StackItemEvent event = new StackItemEvent(stack.get(stack.size() - 1),
                wasUndoing ? StackKind.REDO : StackKind.UNDO, transaction.origin, transaction.changedParentTypes);
        for (Consumer<StackItemEvent> l : didAdd ? addedListeners : updatedListeners) {
            l.accept(event);
        }
    }

    private void releaseKeptItems(Transaction tr, StackItem stackItem) {
        stackItem.deletions.iterateDeletedStructs(tr, struct -> {
            if (struct instanceof Item item && inScope(item)) {
                Redo.keepItem(item, false);
            }
        });
    }

    // ---- undo / redo (Yjs popStackItem) ----

    /**
     * Pops stack items until one of them changes the document (a step whose content others have deleted or
     * overwritten meanwhile changes nothing and is dropped), all in one transaction with this manager as origin.
     */
    private StackItem popStackItem(List<StackItem> stack, StackKind kind) {
        Transaction[] done = new Transaction[1];
        try {
            transactPop(stack, done);
        } catch (RuntimeException e) {
            currStackItem = null;
            throw e;
        }
        StackItem result = currStackItem;
        currStackItem = null;
        if (result != null) {
            StackItemEvent event = new StackItemEvent(result, kind, this, done[0].changedParentTypes);
            for (Consumer<StackItemEvent> l : poppedListeners) {
                l.accept(event);
            }
        }
        return result;
    }

    private void transactPop(List<StackItem> stack, Transaction[] done) {
        doc.transact(transaction -> {
            StructStore store = doc.store;
            while (!stack.isEmpty() && currStackItem == null) {
                StackItem stackItem = stack.remove(stack.size() - 1);
                // a LinkedHashSet of items compares by identity (Item has no equals) and keeps Yjs's Set order
                Set<Item> itemsToRedo = new LinkedHashSet<>();
                List<Item> itemsToDelete = new ArrayList<>();
                stackItem.insertions.iterateDeletedStructs(transaction, struct -> {
                    if (!(struct instanceof Item inserted)) {
                        return;
                    }
                    Item item = inserted;
                    if (item.redone != null) {
                        // the insertion was undone and redone before: remove its newest copy
                        Redo.Found f = Redo.followRedone(store, item.id);
                        AbstractStruct s = f.struct();
                        if (f.diff() > 0) {
                            s = store.getItemCleanStart(transaction, new ID(s.id.client(), s.id.clock() + f.diff()));
                        }
                        if (!(s instanceof Item copy)) {
                            return; // collected, so deleted already
                        }
                        item = copy;
                    }
                    if (!item.isDeleted() && inScope(item)) {
                        itemsToDelete.add(item);
                    }
                });
                stackItem.deletions.iterateDeletedStructs(transaction, struct -> {
                    // content inserted and deleted within the same step is not brought back
                    if (struct instanceof Item item && inScope(item) && !stackItem.insertions.isDeleted(item.id)) {
                        itemsToRedo.add(item);
                    }
                });
                boolean performedChange = false;
                for (Item item : itemsToRedo) {
                    performedChange = Redo.redoItem(transaction, item, itemsToRedo, stackItem.insertions,
                            ignoreRemoteMapChanges, undoStack, redoStack) != null || performedChange;
                }
                // delete in reverse order so that children go before their parents
                for (int i = itemsToDelete.size() - 1; i >= 0; i--) {
                    itemsToDelete.get(i).delete(transaction);
                    performedChange = true;
                }
                currStackItem = performedChange ? stackItem : null;
            }
            for (Map.Entry<AbstractType, Set<String>> e : transaction.changed.entrySet()) {
                // list content changed outside the types' own edit paths: their index markers are stale
                if (e.getValue().contains(null) && e.getKey().searchMarkers != null) {
                    e.getKey().searchMarkers.clear();
                }
            }
            done[0] = transaction;
        }, this);
    }
}
