package dev.quire.crdt;

/**
 * A root type that content arrived for before anyone asked for it by kind (Yjs creates a bare AbstractType).
 * {@code getText}/{@code getMap}/{@code getArray} adopt its content.
 */
final class UnknownType extends AbstractType {
    @Override
    AbstractType copyEmpty() {
        return new UnknownType();
    }

    @Override
    void writeTypeRef(UpdateEncoder encoder) {
        throw new IllegalStateException("a root type of unknown kind is never nested");
    }

    @Override
    public Object toJson() {
        return null;
    }
}
