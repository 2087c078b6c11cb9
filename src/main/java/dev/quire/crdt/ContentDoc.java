package dev.quire.crdt;

import java.util.List;
import java.util.Map;

/**
 * A sub-document reference (ref 9). Quire does not load sub-documents; it keeps the reference (guid and options)
 * so that it is re-encoded unchanged.
 */
final class ContentDoc extends SingleValueContent {
    final String guid;
    final Object opts;

    ContentDoc(String guid, Object opts) {
        this.guid = guid;
        this.opts = opts == null ? Map.of() : opts;
    }

    @Override
    public List<Object> values() {
        return List.of(Map.of("guid", guid));
    }

    @Override
    public Content copy() {
        return new ContentDoc(guid, opts);
    }

    @Override
    public void write(UpdateEncoder encoder, int offset) {
        encoder.writeString(guid);
        encoder.writeAny(opts);
    }

    @Override
    public int ref() {
        return 9;
    }
}
