package dev.quire.crdt;

import java.util.List;

/** A byte array value (ref 3). */
final class ContentBinary implements Content {
    final byte[] content;

    ContentBinary(byte[] content) {
        this.content = content;
    }

    @Override
    public int length() {
        return 1;
    }

    @Override
    public List<Object> values() {
        return List.of(content);
    }

    @Override
    public boolean isCountable() {
        return true;
    }

    @Override
    public Content copy() {
        return new ContentBinary(content);
    }

    @Override
    public Content splice(int offset) {
        throw new UnsupportedOperationException("binary content has length 1");
    }

    @Override
    public boolean mergeWith(Content right) {
        return false;
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
