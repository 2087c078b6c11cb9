package dev.quire.crdt;

import java.util.ArrayList;
import java.util.List;

/** JSON-like values (numbers, strings, maps, lists…), one per clock (ref 8). */
final class ContentAny implements Content {
    List<Object> arr;

    ContentAny(List<Object> arr) {
        this.arr = arr;
    }

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
        return new ContentAny(new ArrayList<>(arr));
    }

    @Override
    public Content splice(int offset) {
        ContentAny right = new ContentAny(new ArrayList<>(arr.subList(offset, arr.size())));
        arr = new ArrayList<>(arr.subList(0, offset));
        return right;
    }

    @Override
    public boolean mergeWith(Content right) {
        List<Object> merged = new ArrayList<>(arr);
        merged.addAll(((ContentAny) right).arr);
        arr = merged;
        return true;
    }

    @Override
    public void write(UpdateEncoder encoder, int offset) {
        int len = arr.size();
        encoder.writeLen(len - offset);
        for (int i = offset; i < len; i++) {
            encoder.writeAny(arr.get(i));
        }
    }

    @Override
    public int ref() {
        return 8;
    }

    @Override
    public String toString() {
        return "any" + arr;
    }
}
