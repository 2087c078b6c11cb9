package dev.quire.crdt;

import java.util.List;

/** The content of a deleted item after garbage collection: only its length remains (ref 1). */
final class ContentDeleted implements Content {
    int len;

    ContentDeleted(int len) {
        this.len = len;
    }

    @Override
    public int length() {
        return len;
    }

    @Override
    public List<Object> values() {
        return List.of();
    }

    @Override
    public boolean isCountable() {
        return false;
    }

    @Override
    public Content copy() {
        return new ContentDeleted(len);
    }

    @Override
    public Content splice(int offset) {
        ContentDeleted right = new ContentDeleted(len - offset);
        len = offset;
        return right;
    }

    @Override
    public boolean mergeWith(Content right) {
        len += ((ContentDeleted) right).len;
        return true;
    }

    @Override
    public void integrate(Transaction transaction, Item item) {
        transaction.deleteSet.add(item.id.client(), item.id.clock(), len);
        item.markDeleted();
    }

    @Override
    public void write(UpdateEncoder encoder, int offset) {
        encoder.writeLen(len - offset);
    }

    @Override
    public int ref() {
        return 1;
    }

    @Override
    public String toString() {
        return "deleted(" + len + ")";
    }
}
