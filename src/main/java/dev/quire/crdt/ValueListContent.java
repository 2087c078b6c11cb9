package dev.quire.crdt;

import java.util.ArrayList;
import java.util.List;

/** Content that is a list of values, one per clock: they split and merge like the list they are. */
abstract sealed class ValueListContent implements Content permits ContentAny, ContentJson {
    List<Object> arr;

    ValueListContent(List<Object> arr) {
        this.arr = arr;
    }

    /** A content of the same kind holding {@code values}. */
    abstract ValueListContent with(List<Object> values);

    @Override
    public int length() {
        return arr.size();
    }

    @Override
    public List<Object> values() {
        return arr;
    }

    @Override
    public boolean isCountable() {
        return true;
    }

    @Override
    public Content copy() {
        return with(new ArrayList<>(arr));
    }

    @Override
    public Content splice(int offset) {
        ValueListContent right = with(new ArrayList<>(arr.subList(offset, arr.size())));
        arr = new ArrayList<>(arr.subList(0, offset));
        return right;
    }

    @Override
    public boolean mergeWith(Content right) {
        List<Object> merged = new ArrayList<>(arr);
        merged.addAll(((ValueListContent) right).arr);
        arr = merged;
        return true;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + arr;
    }
}
