package dev.quire.crdt;

import java.util.List;

/** A byte array value (ref 3). */
final class ContentBinary extends SingleValueContent {
    final byte[] content;

    ContentBinary(byte[] content) {
        this.content = content;
    }

    @Override
    public List<Object> values() {
        return List.of(content);
    }

    @Override
    public Content copy() {
        return new ContentBinary(content);
    }

    @Override
    public void write(UpdateEncoder encoder, int offset) {
        encoder.writeBuf(content);
    }

    @Override
    public int ref() {
        return 3;
    }
}
