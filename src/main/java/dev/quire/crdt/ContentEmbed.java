package dev.quire.crdt;

import java.util.List;

/** An embedded object in text, e.g. an image (ref 5); stored as JSON. */
final class ContentEmbed extends SingleValueContent {
    final Object embed;

    ContentEmbed(Object embed) {
        this.embed = embed;
    }

    @Override
    public List<Object> values() {
        return java.util.Collections.singletonList(embed);
    }

    @Override
    public Content copy() {
        return new ContentEmbed(embed);
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
