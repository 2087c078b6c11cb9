package dev.quire.crdt;

import java.util.List;

/** A nested shared type (ref 7): its children live in their own list and map. */
final class ContentType extends SingleValueContent {
    final AbstractType type;

    ContentType(AbstractType type) {
        this.type = type;
    }

    @Override
    public List<Object> values() {
        return List.of(type);
    }

    @Override
    public Content copy() {
        return new ContentType(type.copyEmpty());
    }

    @Override
    public void integrate(Transaction transaction, Item item) {
        type.integrate(transaction.doc, item);
    }

    /** Deleting a type deletes all its children. */
    @Override
    public void delete(Transaction transaction) {
        Item item = type.start;
        while (item != null) {
            if (!item.isDeleted()) {
                item.delete(transaction);
            } else if (item.id.clock() < transaction.beforeState(item.id.client())) {
                // deleted earlier: it may merge with its neighbours now
                transaction.mergeStructs.add(item);
            }
            item = item.right;
        }
        for (Item it : type.map.values()) {
            if (!it.isDeleted()) {
                it.delete(transaction);
            } else if (it.id.clock() < transaction.beforeState(it.id.client())) {
                transaction.mergeStructs.add(it);
            }
        }
        transaction.changed.remove(type);
    }

    @Override
    public void gc(StructStore store) {
        Item item = type.start;
        while (item != null) {
            item.gc(store, true);
            item = item.right;
        }
        type.start = null;
        type.index = null;
        for (Item it : type.map.values()) {
            while (it != null) {
                it.gc(store, true);
                it = it.left;
            }
        }
        type.map = new java.util.LinkedHashMap<>();
    }

    @Override
    public void write(UpdateEncoder encoder, int offset) {
        type.writeTypeRef(encoder);
    }

    @Override
    public int ref() {
        return 7;
    }
}
