package dev.quire.crdt;

/** Garbage-collected content: only the clock range survives, so that clocks stay contiguous (Yjs structs/GC.js). */
final class GC extends AbstractStruct {
    static final int REF = 0;

    GC(ID id, int length) {
        super(id, length);
    }

    @Override
    boolean isDeleted() {
        return true;
    }

    @Override
    boolean mergeWith(AbstractStruct right) {
        if (!(right instanceof GC)) {
            return false;
        }
        length += right.length;
        return true;
    }

    @Override
    void integrate(Transaction transaction, int offset) {
        if (offset > 0) {
            id = new ID(id.client(), id.clock() + offset);
            length -= offset;
        }
        transaction.doc.store.addStruct(this);
    }

    @Override
    void write(UpdateEncoder encoder, int offset) {
        encoder.writeInfo(REF);
        encoder.writeLen(length - offset);
    }

    @Override
    long getMissing(Transaction transaction, StructStore store) {
        return -1;
    }
}
