package dev.quire.crdt;

/** A gap in an update made by merging updates that don't connect; never integrated (Yjs structs/Skip.js). */
final class Skip extends AbstractStruct {
    static final int REF = 10;

    Skip(ID id, int length) {
        super(id, length);
    }

    @Override
    boolean isDeleted() {
        return true;
    }

    @Override
    boolean mergeWith(AbstractStruct right) {
        if (!(right instanceof Skip)) {
            return false;
        }
        length += right.length;
        return true;
    }

    @Override
    void integrate(Transaction transaction, int offset) {
        throw new IllegalStateException("skip structs cannot be integrated");
    }

    @Override
    void write(UpdateEncoder encoder, int offset) {
        encoder.writeInfo(REF);
        // a varUint, not writeLen: skips can't use the predictable length encoding of v2
        encoder.rest().writeVarUint(length - offset);
    }

    @Override
    long getMissing(Transaction transaction, StructStore store) {
        return -1;
    }
}
