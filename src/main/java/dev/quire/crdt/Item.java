package dev.quire.crdt;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A run of content inserted by one client: the unit of the YATA sequence CRDT (Yjs structs/Item.js).
 *
 * <p>{@code origin}/{@code rightOrigin} are the neighbours at insertion time and never change; {@code left}/
 * {@code right} are the current neighbours in the parent's list. Adjacent items from the same client are merged
 * and split exactly as Yjs does it, because the encoded bytes depend on where the item boundaries are.
 */
final class Item extends AbstractStruct {
    private static final int KEEP = 1;
    private static final int COUNTABLE = 2;
    private static final int DELETED = 4;
    private static final int MARKER = 8;

    ID origin;
    Item left;
    Item right;
    ID rightOrigin;
    /** An {@link AbstractType} once integrated; before that an {@link ID}, a root-type name, or null. */
    Object parent;
    String parentSub;
    ID redone;
    Content content;
    private int info;
    /** The leaf of the parent's {@link ItemIndex} holding this item, while the parent has an index. */
    ItemIndex.Leaf leaf;

    Item(ID id, Item left, ID origin, Item right, ID rightOrigin, Object parent, String parentSub, Content content) {
        super(id, content.length());
        this.origin = origin;
        this.left = left;
        this.right = right;
        this.rightOrigin = rightOrigin;
        this.parent = parent;
        this.parentSub = parentSub;
        this.content = content;
        this.info = content.isCountable() ? COUNTABLE : 0;
    }

    /**
     * A new item written by this document's own client at its next clock, to go between {@code left} and
     * {@code right} (their ids become its origins). The caller integrates it.
     */
    static Item local(Transaction transaction, Item left, Item right, AbstractType parent, String parentSub,
                      Content content) {
        Doc d = transaction.doc;
        return new Item(new ID(d.clientId(), d.store.getState(d.clientId())), left,
                left == null ? null : left.lastId(), right, right == null ? null : right.id, parent, parentSub, content);
    }

    boolean keep() {
        return (info & KEEP) != 0;
    }

    void setKeep(boolean keep) {
        info = keep ? info | KEEP : info & ~KEEP;
    }

    boolean countable() {
        return (info & COUNTABLE) != 0;
    }

    @Override
    boolean isDeleted() {
        return (info & DELETED) != 0;
    }

    void markDeleted() {
        info |= DELETED;
    }

    boolean marker() {
        return (info & MARKER) != 0;
    }

    void setMarker(boolean marked) {
        info = marked ? info | MARKER : info & ~MARKER;
    }

    /** Countable and not deleted: what a user sees and what indexes count. */
    boolean visible() {
        return (info & (COUNTABLE | DELETED)) == COUNTABLE;
    }

    AbstractType parentType() {
        return (AbstractType) parent;
    }

    ID lastId() {
        return length == 1 ? id : new ID(id.client(), id.clock() + length - 1);
    }

    /** The next non-deleted item to the right. */
    Item next() {
        Item n = right;
        while (n != null && n.isDeleted()) {
            n = n.right;
        }
        return n;
    }

    /** The previous non-deleted item to the left. */
    Item prev() {
        Item n = left;
        while (n != null && n.isDeleted()) {
            n = n.left;
        }
        return n;
    }

    /**
     * Splits this item at {@code diff} and returns the right part, which the caller puts into the struct store
     * (Yjs splitItem). The right part's origin is the left part's last id, as if it had been typed after it.
     */
    Item split(Transaction transaction, int diff) {
        ID rightId = new ID(id.client(), id.clock() + diff);
        Item rightItem = new Item(rightId, this, new ID(id.client(), id.clock() + diff - 1), right, rightOrigin,
                parent, parentSub, content.splice(diff));
        if (isDeleted()) {
            rightItem.markDeleted();
        }
        if (keep()) {
            rightItem.setKeep(true);
        }
        if (redone != null) {
            rightItem.redone = new ID(redone.client(), redone.clock() + diff);
        }
        // do not set this.rightOrigin: it would cause problems when syncing
        right = rightItem;
        if (rightItem.right != null) {
            rightItem.right.left = rightItem;
        }
        transaction.mergeStructs.add(rightItem);
        if (rightItem.parentSub != null && rightItem.right == null) {
            ((AbstractType) rightItem.parent).map.put(rightItem.parentSub, rightItem);
        }
        length = diff;
        if (parentSub == null && parent instanceof AbstractType p && p.index != null && leaf != null) {
            // keep the leaf sums true before the insertion, which may split the leaf and recount it
            if (visible()) {
                p.index.adjust(this, -rightItem.length);
            }
            p.index.insertAfter(this, rightItem);
        }
        return rightItem;
    }

    @Override
    long getMissing(Transaction transaction, StructStore store) {
        if (parent instanceof String rootName) {
            // decoded as a root type's name: resolve now, not while parsing, so a rejected update adds no root
            parent = transaction.doc.getRoot(rootName);
        }
        if (origin != null && origin.client() != id.client() && origin.clock() >= store.getState(origin.client())) {
            return origin.client();
        }
        if (rightOrigin != null && rightOrigin.client() != id.client()
                && rightOrigin.clock() >= store.getState(rightOrigin.client())) {
            return rightOrigin.client();
        }
        if (parent instanceof ID p && id.client() != p.client() && p.clock() >= store.getState(p.client())) {
            return p.client();
        }
        // every dependency is known: resolve ids to the items
        boolean gcNeighbour = false;
        if (origin != null) {
            AbstractStruct l = store.getItemCleanEnd(transaction, origin);
            if (l instanceof Item li) {
                left = li;
                origin = li.lastId();
            } else {
                left = null;
                gcNeighbour = true;
            }
        }
        if (rightOrigin != null) {
            AbstractStruct r = store.getItemCleanStart(transaction, rightOrigin);
            if (r instanceof Item ri) {
                right = ri;
                rightOrigin = ri.id;
            } else {
                right = null;
                gcNeighbour = true;
            }
        }
        if (gcNeighbour) {
            parent = null;
        } else if (parent == null) {
            // take the parent from a neighbour (only when this shouldn't be garbage collected)
            if (left != null) {
                parent = left.parent;
                parentSub = left.parentSub;
            } else if (right != null) {
                parent = right.parent;
                parentSub = right.parentSub;
            }
        } else if (parent instanceof ID p) {
            AbstractStruct parentItem = store.find(p);
            if (parentItem instanceof Item pi && pi.content instanceof ContentType ct) {
                parent = ct.type;
            } else {
                parent = null; // collected (or not a type): this content is integrated as GC
            }
        }
        return -1;
    }

    @Override
    void integrate(Transaction transaction, int offset) {
        StructStore store = transaction.doc.store;
        if (offset > 0) {
            id = new ID(id.client(), id.clock() + offset);
            AbstractStruct l = store.getItemCleanEnd(transaction, new ID(id.client(), id.clock() - 1));
            if (l instanceof Item li) {
                left = li;
                origin = li.lastId();
            } else {
                left = null;
                origin = ((GC) l).id; // unreachable in practice: a GC left would have made the parent null
                parent = null;
            }
            content = content.splice(offset);
            length -= offset;
        }
        if (parent instanceof AbstractType parentType) {
            if ((left == null && (right == null || right.left != null)) || (left != null && left.right != right)) {
                resolveConflicts(transaction, parentType);
            }
            // reconnect left/right and update the parent's start or map entry
            if (left != null) {
                right = left.right;
                left.right = this;
            } else {
                Item r;
                if (parentSub != null) {
                    r = parentType.map.get(parentSub);
                    while (r != null && r.left != null) {
                        r = r.left;
                    }
                } else {
                    r = parentType.start;
                    parentType.start = this;
                }
                right = r;
            }
            if (right != null) {
                right.left = this;
            } else if (parentSub != null) {
                // the last item with this key is the map's current value; the previous value is deleted
                parentType.map.put(parentSub, this);
                if (left != null) {
                    left.delete(transaction);
                }
            }
            if (parentSub == null && countable() && !isDeleted()) {
                parentType.length += length;
            }
            if (parentSub == null && parentType.index != null) {
                parentType.index.insertAfter(left, this);
            }
            store.addStruct(this);
            content.integrate(transaction, this);
            transaction.addChangedType(parentType, parentSub);
            if ((parentType.item != null && parentType.item.isDeleted()) || (parentSub != null && right != null)) {
                // the parent is deleted, or this is not the current value of its key
                delete(transaction);
            }
        } else {
            // no parent (it was collected): keep only the clock range
            new GC(id, length).integrate(transaction, 0);
        }
    }

    /**
     * YATA conflict resolution (Yjs Item.integrate): walk the items between left and right that were inserted
     * concurrently and find this item's place among them. Ties between items with the same origins are broken by
     * client id.
     */
    private void resolveConflicts(Transaction transaction, AbstractType parentType) {
        Item newLeft = left;
        Item o;
        if (newLeft != null) {
            o = newLeft.right;
        } else if (parentSub != null) {
            o = parentType.map.get(parentSub);
            while (o != null && o.left != null) {
                o = o.left;
            }
        } else {
            o = parentType.start;
        }
        StructStore store = transaction.doc.store;
        // conflictingItems is a subset of itemsBeforeOrigin; identity sets, as Yjs uses Set<Item>
        Set<Item> conflictingItems = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Item> itemsBeforeOrigin = Collections.newSetFromMap(new IdentityHashMap<>());
        while (o != null && o != right) {
            itemsBeforeOrigin.add(o);
            conflictingItems.add(o);
            if (ID.equal(origin, o.origin)) {
                // case 1: same origin
                if (o.id.client() < id.client()) {
                    newLeft = o;
                    conflictingItems.clear();
                } else if (ID.equal(rightOrigin, o.rightOrigin)) {
                    // same integration points: the id decides, and this goes left of o
                    break;
                }
            } else if (o.origin != null && itemsBeforeOrigin.contains(store.find(o.origin))) {
                // case 2: o's origin lies between this origin and o
                if (!conflictingItems.contains(store.find(o.origin))) {
                    newLeft = o;
                    conflictingItems.clear();
                }
            } else {
                break;
            }
            o = o.right;
        }
        left = newLeft;
    }

    /** Yjs Item.mergeWith: absorbs {@code right} when it continues this item in every respect. */
    @Override
    boolean mergeWith(AbstractStruct r) {
        if (!(r instanceof Item rightItem)) {
            return false;
        }
        if (ID.equal(rightItem.origin, lastId())
                && right == rightItem
                && ID.equal(rightOrigin, rightItem.rightOrigin)
                && id.client() == rightItem.id.client()
                && id.clock() + length == rightItem.id.clock()
                && isDeleted() == rightItem.isDeleted()
                && redone == null
                && rightItem.redone == null
                && content.getClass() == rightItem.content.getClass()
                && content.mergeWith(rightItem.content)) {
            AbstractType p = (AbstractType) parent;
            if (p.searchMarkers != null) {
                p.searchMarkers.itemMerged(this, rightItem);
            }
            if (rightItem.keep()) {
                setKeep(true);
            }
            if (parentSub == null && p.index != null && rightItem.leaf != null) {
                p.index.remove(rightItem);
                if (visible()) {
                    p.index.adjust(this, rightItem.length);
                }
            }
            right = rightItem.right;
            if (right != null) {
                right.left = this;
            }
            length += rightItem.length;
            return true;
        }
        return false;
    }

    void delete(Transaction transaction) {
        if (!isDeleted()) {
            AbstractType p = (AbstractType) parent;
            if (countable() && parentSub == null) {
                p.length -= length;
                if (p.index != null && leaf != null) {
                    p.index.adjust(this, -length);
                }
            }
            markDeleted();
            transaction.deleteSet.add(id.client(), id.clock(), length);
            transaction.addChangedType(p, parentSub);
            content.delete(transaction);
        }
    }

    /** Drops the content of a deleted item; with {@code parentGCd} the item becomes a bare {@link GC}. */
    void gc(StructStore store, boolean parentGCd) {
        if (!isDeleted()) {
            throw new IllegalStateException("only deleted items can be collected");
        }
        content.gc(store);
        if (parentGCd) {
            store.replaceStruct(this, new GC(id, length));
        } else {
            content = new ContentDeleted(length);
        }
    }

    @Override
    void write(UpdateEncoder encoder, int offset) {
        ID o = offset > 0 ? new ID(id.client(), id.clock() + offset - 1) : origin;
        int infoByte = (content.ref() & 0x1F)
                | (o == null ? 0 : 0x80)
                | (rightOrigin == null ? 0 : 0x40)
                | (parentSub == null ? 0 : 0x20);
        encoder.writeInfo(infoByte);
        if (o != null) {
            encoder.writeLeftId(o);
        }
        if (rightOrigin != null) {
            encoder.writeRightId(rightOrigin);
        }
        if (o == null && rightOrigin == null) {
            if (parent instanceof AbstractType p) {
                if (p.item == null) {
                    encoder.writeParentInfo(true);
                    encoder.writeString(p.rootName());
                } else {
                    encoder.writeParentInfo(false);
                    encoder.writeLeftId(p.item.id);
                }
            } else if (parent instanceof String key) {
                // only in updates that were decoded without a doc (merge/diff)
                encoder.writeParentInfo(true);
                encoder.writeString(key);
            } else if (parent instanceof ID pid) {
                encoder.writeParentInfo(false);
                encoder.writeLeftId(pid);
            } else {
                throw new IllegalStateException("item " + id + " has no parent to encode");
            }
            if (parentSub != null) {
                encoder.writeString(parentSub);
            }
        }
        content.write(encoder, offset);
    }

    @Override
    public String toString() {
        return "Item(" + id + ", len " + length + (isDeleted() ? ", deleted" : "") + ", " + content + ")";
    }
}
