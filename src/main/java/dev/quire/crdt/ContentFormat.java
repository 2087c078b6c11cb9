package dev.quire.crdt;

import java.util.List;

/**
 * A formatting mark in text (ref 6): from here on, attribute {@code key} has {@code value} (null ends it).
 * Not countable: it occupies a clock but no text position.
 */
final class ContentFormat extends SingleValueContent {
    final String key;
    final Object value;

    ContentFormat(String key, Object value) {
        this.key = key;
        this.value = value;
    }

    @Override
    public List<Object> values() {
        return List.of();
    }

    @Override
    public boolean isCountable() {
        return false;
    }

    @Override
    public Content copy() {
        return new ContentFormat(key, value);
    }

    @Override
    public void integrate(Transaction transaction, Item item) {
        AbstractType p = (AbstractType) item.parent;
        // As in Yjs: once a text has formatting, index search markers are switched off for it, and the formatting
        // cleanup runs after remote transactions.
        p.searchMarkers = null;
        if (p instanceof YText text) {
            text.hasFormatting = true;
            text.mayHaveFormatMarks = true;
        }
    }

    @Override
    public void write(UpdateEncoder encoder, int offset) {
        encoder.writeKey(key);
        encoder.writeJson(value);
    }

    @Override
    public int ref() {
        return 6;
    }

    @Override
    public String toString() {
        return "format(" + key + "=" + value + ")";
    }
}
