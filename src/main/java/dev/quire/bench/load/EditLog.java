package dev.quire.bench.load;

/**
 * The edits of one client, in order. One writer (the client, under its lock) and many readers (the other clients
 * of the document, each under its own lock): the array is sized up front and the count is published last, so a
 * reader that sees a count also sees every edit below it (JLS 17.4.5, volatile write/read).
 */
final class EditLog {
    private final Edit[] edits;
    private volatile int count;

    EditLog(int capacity) {
        edits = new Edit[capacity];
    }

    boolean isFull() {
        return count == edits.length;
    }

    void add(Edit edit) {
        edits[count] = edit;
        count = count + 1;
    }

    int count() {
        return count;
    }

    Edit get(int i) {
        return edits[i];
    }
}
