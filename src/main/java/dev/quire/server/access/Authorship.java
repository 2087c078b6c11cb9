package dev.quire.server.access;

import dev.quire.crdt.Doc;
import dev.quire.crdt.ID;
import dev.quire.crdt.RelativePosition;
import dev.quire.crdt.Updates;
import dev.quire.crdt.YText;
import dev.quire.server.storage.ClockRange;
import dev.quire.server.storage.HistoryEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who wrote which part of a text: walks the characters of a range, finds each one's item id, and asks the update log
 * who stored that item. Consecutive characters of one stored update come out as one span; the log is asked once per
 * update range, not once per character.
 */
final class Authorship {
    /** The most characters one request may walk: a chapter, not a whole book at once. */
    static final int MAX_RANGE = 200_000;

    interface WriterLookup {
        Optional<HistoryEntry> writerOf(long clientId, int clock);
    }

    private Authorship() {
    }

    static List<AuthorSpan> spans(byte[] state, String textName, int from, int to, WriterLookup log) {
        Doc doc = new Doc(1, false);
        Updates.applyUpdate(doc, state);
        YText text = doc.getText(textName);
        int end = Math.min(to, text.length());
        if (from < 0 || from > end) {
            throw new IllegalArgumentException("the range must satisfy 0 <= from <= to; the text has " + text.length()
                    + " characters");
        }
        if (end - from > MAX_RANGE) {
            throw new IllegalArgumentException("ask for at most " + MAX_RANGE + " characters at a time");
        }
        List<AuthorSpan> spans = new ArrayList<>();
        ClockRange known = null; // the update range the previous character fell in
        Optional<HistoryEntry> writer = Optional.empty();
        int spanStart = from;
        for (int i = from; i < end; i++) {
            ID id = RelativePosition.fromIndex(text, i).item();
            if (known == null || !contains(known, id)) {
                Optional<HistoryEntry> next = id == null ? Optional.empty() : log.writerOf(id.client(), id.clock());
                ClockRange range = next.flatMap(e -> e.added().stream().filter(r -> contains(r, id)).findFirst())
                        .orElse(null);
                if (i > from && !sameWriter(writer, next)) {
                    spans.add(new AuthorSpan(spanStart, i, writer));
                    spanStart = i;
                }
                writer = next;
                known = range;
            }
        }
        if (end > from) {
            spans.add(new AuthorSpan(spanStart, end, writer));
        }
        return spans;
    }

    private static boolean contains(ClockRange r, ID id) {
        return id != null && r.clientId() == id.client() && id.clock() >= r.start() && id.clock() < r.end();
    }

    private static boolean sameWriter(Optional<HistoryEntry> a, Optional<HistoryEntry> b) {
        return a.map(HistoryEntry::userId).equals(b.map(HistoryEntry::userId));
    }
}
