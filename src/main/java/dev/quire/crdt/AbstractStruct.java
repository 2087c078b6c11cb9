package dev.quire.crdt;

/**
 * What the struct store holds for a range of one client's clocks: an {@link Item} (content), a {@link GC} (content
 * that was deleted and collected) or, only inside updates, a {@link Skip} (a gap).
 */
abstract sealed class AbstractStruct permits Item, GC, Skip {
    ID id;
    int length;

    AbstractStruct(ID id, int length) {
        this.id = id;
        this.length = length;
    }

    abstract boolean isDeleted();

    /** Tries to absorb {@code right} (the struct with the next clocks); true when merged. */
    abstract boolean mergeWith(AbstractStruct right);

    abstract void write(UpdateEncoder encoder, int offset);

    abstract void integrate(Transaction transaction, int offset);

    /** The client id of a missing dependency, or -1 when everything this struct refers to is known. */
    abstract long getMissing(Transaction transaction, StructStore store);

    final int endClock() {
        return id.clock() + length;
    }
}
