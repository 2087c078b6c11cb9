package dev.quire.crdt;

import dev.quire.crdt.encoding.Any;
import dev.quire.crdt.encoding.Json;
import java.util.ArrayList;
import java.util.List;

/** Legacy JSON values, one JSON string per clock (ref 2); still produced by old Yjs clients. */
final class ContentJson implements Content {
    List<Object> arr;

    ContentJson(List<Object> arr) {
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
        return new ContentJson(new ArrayList<>(arr));
    }

    @Override
    public Content splice(int offset) {
        ContentJson right = new ContentJson(new ArrayList<>(arr.subList(offset, arr.size())));
        arr = new ArrayList<>(arr.subList(0, offset));
        return right;
    }

    @Override
    public boolean mergeWith(Content right) {
        List<Object> merged = new ArrayList<>(arr);
        merged.addAll(((ContentJson) right).arr);
        arr = merged;
        return true;
    }

    @Override
    public void write(UpdateEncoder encoder, int offset) {
        int len = arr.size();
        encoder.writeLen(len - offset);
        for (int i = offset; i < len; i++) {
            Object c = arr.get(i);
            encoder.writeString(c == Any.UNDEFINED ? "undefined" : Json.stringify(c));
        }
    }

    @Override
    public int ref() {
        return 2;
    }
}
