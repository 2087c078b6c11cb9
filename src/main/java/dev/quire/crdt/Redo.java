package dev.quire.crdt;

import java.util.List;
import java.util.Set;

/**
 * How undo brings deleted content back: it never "undeletes" an item (a deletion is final in a CRDT) but inserts a
 * copy at the same place and records the copy's id in the original's {@link Item#redone} link. Relative positions
 * and later undo steps follow those links (Yjs structs/Item.js: followRedone, keepItem, redoItem; utils/isParentOf.js).
 */
final class Redo {
    private Redo() {
    }

    /** The struct at the end of a chain of redone links, and the offset of the wanted clock inside it. */
    record Found(AbstractStruct struct, int diff) {
    }

    /**
     * Follows {@code redone} links from {@code id} to the struct that holds its newest copy (Yjs followRedone).
     * The offset inside an item carries over to its copy, because a copy has the same length.
     */
    static Found followRedone(StructStore store, ID id) {
        ID nextId = id;
        int diff = 0;
        AbstractStruct struct;
        do {
            if (diff > 0) {
                nextId = new ID(nextId.client(), nextId.clock() + diff);
            }
            struct = store.find(nextId);
            diff = nextId.clock() - struct.id.clock();
            nextId = struct instanceof Item item ? item.redone : null;
        } while (nextId != null);
        return new Found(struct, diff);
    }

    /**
     * Marks an item and all its ancestors as kept (or releases them): a kept item is deleted but not garbage
     * collected, so undo can still copy its content (Yjs keepItem). Kept is local state; it is never encoded.
     */
    static void keepItem(Item item, boolean keep) {
        while (item != null && item.keep() != keep) {
            item.setKeep(keep);
            item = ((AbstractType) item.parent).item;
        }
    }

    /** Whether {@code child} lies inside {@code parent}, at any depth (Yjs isParentOf). */
    static boolean isParentOf(AbstractType parent, Item child) {
        while (child != null) {
            if (child.parent == parent) {
                return true;
            }
            if (!(child.parent instanceof AbstractType p)) {
                return false;
            }
            child = p.item;
        }
        return false;
    }

    /**
     * Re-creates a deleted item as a new local item next to where it was (Yjs redoItem). Returns the new item, the
     * existing copy when the item was redone before, or null when it cannot come back: its parent is gone for good,
     * or (for a map key) another client wrote the key since.
     *
     * @param redoItems       the items this undo step re-creates; a deleted parent among them is re-created first
     * @param itemsToDelete   the insertions this undo step removes; a map value about to be removed is not a conflict
     */
    static Item redoItem(Transaction transaction, Item item, Set<Item> redoItems, DeleteSet itemsToDelete,
                         boolean ignoreRemoteMapChanges, List<UndoManager.StackItem> undoStack,
                         List<UndoManager.StackItem> redoStack) {
        Doc doc = transaction.doc;
        StructStore store = doc.store;
        if (item.redone != null) {
            return itemAt(transaction, item.redone);
        }
        Item parentItem = ((AbstractType) item.parent).item;
        if (parentItem != null && parentItem.isDeleted()) {
            // the parent must come back first; only if this undo step brings it back anyway
            if (parentItem.redone == null && (!redoItems.contains(parentItem) || redoItem(transaction, parentItem,
                    redoItems, itemsToDelete, ignoreRemoteMapChanges, undoStack, redoStack) == null)) {
                return null;
            }
            while (parentItem.redone != null) {
                parentItem = itemAt(transaction, parentItem.redone);
                if (parentItem == null) {
                    return null; // the copy was collected after its undo stack was cleared
                }
            }
        }
        AbstractType parentType;
        if (parentItem == null) {
            parentType = (AbstractType) item.parent;
        } else if (parentItem.content instanceof ContentType ct) {
            parentType = ct.type;
        } else {
            return null;
        }
        Item left = null;
        Item right;
        if (item.parentSub == null) {
            // a list item: insert at the old position, between the nearest neighbours that live in the same parent
            // (a neighbour that was itself re-created is represented by its copy)
            left = item.left;
            right = item;
            while (left != null) {
                Item leftTrace = traceToParent(transaction, left, parentItem);
                if (leftTrace != null) {
                    left = leftTrace;
                    break;
                }
                left = left.left;
            }
            while (right != null) {
                Item rightTrace = traceToParent(transaction, right, parentItem);
                if (rightTrace != null) {
                    right = rightTrace;
                    break;
                }
                right = right.right;
            }
        } else {
            right = null;
            if (item.right != null && !ignoreRemoteMapChanges) {
                left = item;
                // Values written after this one are no conflict when they are our own: re-created, removed by this
                // step, or on one of the stacks. Then this value replaces them.
                while (left.right != null && (left.right.redone != null
                        || itemsToDelete.isDeleted(left.right.id)
                        || deletedByStack(undoStack, left.right.id)
                        || deletedByStack(redoStack, left.right.id))) {
                    left = left.right;
                    while (left.redone != null) {
                        left = itemAt(transaction, left.redone);
                        if (left == null) {
                            return null;
                        }
                    }
                }
                if (left.right != null) {
                    // another client has written this key since: undo never overwrites remote changes
                    return null;
                }
            } else {
                left = parentType.map.get(item.parentSub);
            }
            // a left neighbour from another parent would make the origin point at the wrong parent (yjs #757)
            if (left != null && ((AbstractType) left.parent).item != parentItem) {
                left = parentType.map.get(item.parentSub);
            }
        }
        Item redoneItem = Item.local(transaction, left, right, parentType, item.parentSub, item.content.copy());
        item.redone = redoneItem.id;
        keepItem(redoneItem, true);
        redoneItem.integrate(transaction, 0);
        return redoneItem;
    }

    /** {@code item}, or the copy it was re-created as, whose parent is {@code parentItem}'s type; else null. */
    private static Item traceToParent(Transaction transaction, Item item, Item parentItem) {
        Item trace = item;
        while (trace != null && ((AbstractType) trace.parent).item != parentItem) {
            trace = trace.redone == null ? null : itemAt(transaction, trace.redone);
        }
        return trace;
    }

    private static boolean deletedByStack(List<UndoManager.StackItem> stack, ID id) {
        for (UndoManager.StackItem s : stack) {
            if (s.deletions.isDeleted(id)) {
                return true;
            }
        }
        return false;
    }

    /** The item starting at {@code id} (splitting if needed), or null when that content was collected. */
    private static Item itemAt(Transaction transaction, ID id) {
        return transaction.doc.store.getItemCleanStart(transaction, id) instanceof Item i ? i : null;
    }
}
