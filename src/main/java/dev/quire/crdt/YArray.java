package dev.quire.crdt;

import java.util.ArrayList;
import java.util.List;

/**
 * A shared list of JSON-like values, byte arrays and nested types (Yjs types/YArray.js). Values are immutable
 * once inserted; nested types are edited in place.
 */
public final class YArray extends AbstractType {
    public YArray() {
        searchMarkers = new SearchMarkers();
    }

    @Override
    AbstractType copyEmpty() {
        return new YArray();
    }

    @Override
    void writeTypeRef(UpdateEncoder encoder) {
        encoder.writeTypeRef(0);
    }

    public int length() {
        return length;
    }

    public void insert(int index, List<?> values) {
        requireIntegrated();
        doc.transact(t -> listInsert(t, index, values));
    }

    public void push(List<?> values) {
        requireIntegrated();
        doc.transact(t -> listPush(t, values));
    }

    public void delete(int index, int len) {
        requireIntegrated();
        if (index < 0 || len < 0 || index + len > length) {
            throw new IndexOutOfBoundsException("delete(" + index + ", " + len + ") outside array of length " + length);
        }
        doc.transact(t -> listDelete(t, index, len));
    }

    public Object get(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("index " + index + " outside array of length " + length);
        }
        return listGet(index);
    }

    public List<Object> toList() {
        return listToArray();
    }

    @Override
    public Object toJson() {
        List<Object> out = new ArrayList<>();
        for (Object v : listToArray()) {
            out.add(toJsonValue(v));
        }
        return out;
    }
}
