package dev.quire.crdt;

import java.util.ArrayList;
import java.util.List;

/** A run of text (ref 4). Length is in UTF-16 code units, as in JavaScript. */
final class ContentString implements Content {
    String str;

    ContentString(String str) {
        this.str = str;
    }

    @Override
    public int length() {
        return str.length();
    }

    @Override
    public List<Object> values() {
        List<Object> chars = new ArrayList<>(str.length());
        for (int i = 0; i < str.length(); i++) {
            chars.add(String.valueOf(str.charAt(i)));
        }
        return chars;
    }

    @Override
    public boolean isCountable() {
        return true;
    }

    @Override
    public Content copy() {
        return new ContentString(str);
    }

    /**
     * Splitting between the halves of a surrogate pair would leave two invalid strings; like Yjs, both halves
     * become U+FFFD so that every peer stores the same (valid) text.
     */
    @Override
    public Content splice(int offset) {
        ContentString right = new ContentString(str.substring(offset));
        str = str.substring(0, offset);
        char last = str.charAt(offset - 1);
        if (last >= 0xD800 && last <= 0xDBFF) {
            str = str.substring(0, offset - 1) + '\uFFFD';
            right.str = '\uFFFD' + right.str.substring(1);
        }
        return right;
    }

    @Override
    public boolean mergeWith(Content right) {
        str = str.concat(((ContentString) right).str);
        return true;
    }

    @Override
    public void write(UpdateEncoder encoder, int offset) {
        encoder.writeString(offset == 0 ? str : str.substring(offset));
    }

    @Override
    public int ref() {
        return 4;
    }

    @Override
    public String toString() {
        return "\"" + str + "\"";
    }
}
