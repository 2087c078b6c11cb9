package dev.quire.crdt;

import java.util.List;

/** JSON-like values (numbers, strings, maps, lists…), one per clock (ref 8). */
final class ContentAny extends ValueListContent {
    ContentAny(List<Object> arr) {
        super(arr);
    }

    @Override
    ValueListContent with(List<Object> values) {
        return new ContentAny(values);
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
}
