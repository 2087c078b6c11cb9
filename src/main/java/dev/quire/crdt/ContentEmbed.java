package dev.quire.crdt;

import java.util.List;

/** An embedded object in text, e.g. an image (ref 5); stored as JSON. */
final class ContentEmbed implements Content {
    final Object embed;

    ContentEmbed(Object embed) {
        this.embed = embed;
    }

    @Override
    public int length() {
        return 1;
    }

    @Override
    public List<Object> values() {
        return java.util.Collections.singletonList(embed);
    }

    @Override
    public boolean isCountable() {
        return true;
    }

    @Override
    public Content copy() {
        return new ContentEmbed(embed);
    }

    @Override
    public Content splice(int offset) {
        throw new UnsupportedOperationException("embed content has length 1");
    }

    @Override
    public boolean mergeWith(Content right) {
        return false;
    }

    @Override
    public void write(UpdateEncoder encoder, int offset) {
        encoder.writeJson(embed);
    }

    @Override
    public int ref() {
        return 5;
    }
}
