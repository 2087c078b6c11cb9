package dev.quire.crdt;

import java.util.List;

/**
 * What an {@link Item} holds (Yjs AbstractContent). The ref number is the content's tag in the update format;
 * {@link #length()} is how many clocks it spans.
 */
sealed interface Content permits ContentDeleted, ContentString, ValueListContent, SingleValueContent {

    int length();

    /** The values a user sees, one per clock (for lists and maps). */
    List<Object> values();

    /** Whether it occupies positions in a list (formatting marks do not). */
    boolean isCountable();

    Content copy();

    /** Cuts this content at {@code offset}, keeps the left part and returns the right part. */
    Content splice(int offset);

    /** Appends {@code right} (of the same class) to this content; false when this kind never merges. */
    boolean mergeWith(Content right);

    default void integrate(Transaction transaction, Item item) {
    }

    default void delete(Transaction transaction) {
    }

    default void gc(StructStore store) {
    }

    void write(UpdateEncoder encoder, int offset);

    int ref();
}
