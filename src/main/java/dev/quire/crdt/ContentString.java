package dev.quire.crdt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A run of text (ref 4). Length is in UTF-16 code units, as in JavaScript.
 *
 * <p>A transaction's cleanup merges runs right to left, each left run absorbing everything merged so far (Yjs
 * {@code tryToMergeWithLefts}). JavaScript's string concatenation is a rope, so that is linear there; copying Java
 * strings would make a pasted megabyte of 14,000 lines quadratic (gigabytes copied). So merged runs keep their pieces
 * in a deque, handed leftwards in O(1) per merge, and are joined once when the text is next read.
 */
final class ContentString implements Content {
    private String str;
    /** Pieces merged in and not yet joined, this run's own first; null when {@link #str} is the whole run. */
    private ArrayDeque<String> pieces;
    private int length;

    ContentString(String str) {
        this.str = str;
        this.length = str.length();
    }

    /** The run's text. */
    String str() {
        if (pieces != null) {
            StringBuilder b = new StringBuilder(length);
            for (String piece : pieces) {
                b.append(piece);
            }
            str = b.toString();
            pieces = null;
        }
        return str;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public List<Object> values() {
        String str = str();
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
        return new ContentString(str());
    }

    /**
     * Splitting between the halves of a surrogate pair would leave two invalid strings; like Yjs, both halves
     * become U+FFFD so that every peer stores the same (valid) text.
     */
    @Override
    public Content splice(int offset) {
        String whole = str();
        ContentString right = new ContentString(whole.substring(offset));
        str = whole.substring(0, offset);
        char last = str.charAt(offset - 1);
        if (last >= 0xD800 && last <= 0xDBFF) {
            str = str.substring(0, offset - 1) + '\uFFFD';
            right.str = '\uFFFD' + right.str.substring(1);
        }
        length = str.length();
        return right;
    }

    @Override
    public boolean mergeWith(Content right) {
        ContentString r = (ContentString) right;
        ArrayDeque<String> merged = r.pieces != null ? r.pieces : new ArrayDeque<>(List.of(r.str));
        if (pieces != null) {
            for (java.util.Iterator<String> it = pieces.descendingIterator(); it.hasNext(); ) {
                merged.addFirst(it.next());
            }
        } else {
            merged.addFirst(str);
        }
        pieces = merged; // the right run is gone after a merge: its deque is this one's now
        r.pieces = null;
        str = null;
        length += r.length;
        return true;
    }

    @Override
    public void write(UpdateEncoder encoder, int offset) {
        String str = str();
        encoder.writeString(offset == 0 ? str : str.substring(offset));
    }

    @Override
    public int ref() {
        return 4;
    }

    @Override
    public String toString() {
        return "\"" + str() + "\"";
    }
}
