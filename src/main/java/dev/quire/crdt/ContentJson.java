package dev.quire.crdt;

import java.util.List;

/** Legacy JSON values, one JSON string per clock (ref 2); still produced by old Yjs clients. */
final class ContentJson extends ValueListContent {
    ContentJson(List<Object> arr) {
        super(arr);
    }

    @Override
    ValueListContent with(List<Object> values) {
        return new ContentJson(values);
    }

    @Override
    public void write(UpdateEncoder encoder, int offset) {
        int len = arr.size();
        encoder.writeLen(len - offset);
        for (int i = offset; i < len; i++) {
            encoder.writeJson(arr.get(i));
        }
    }

    @Override
    public int ref() {
        return 2;
    }
}
