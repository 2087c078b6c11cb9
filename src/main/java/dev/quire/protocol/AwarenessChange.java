package dev.quire.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * What one call on {@link AwarenessStates} changed, by client id, in the order the entries came. These are the
 * lists of y-protocols awareness.js's events: {@code added}, {@code updated} and {@code removed} are its
 * {@code 'update'} event (what a relay forwards, see {@link #clients()}); {@code added}, {@code contentChanged}
 * and {@code removed} its {@code 'change'} event (what a user interface shows).
 *
 * @param updated clients whose state was refreshed with a newer clock, whether or not it differs
 * @param contentChanged those of {@code updated} whose state differs from the one before (compared as JSON values,
 *     so key order and spacing do not count)
 */
public record AwarenessChange(List<Long> added, List<Long> updated, List<Long> contentChanged, List<Long> removed) {
    public static final AwarenessChange NONE = new AwarenessChange(List.of(), List.of(), List.of(), List.of());

    public AwarenessChange {
        added = List.copyOf(added);
        updated = List.copyOf(updated);
        contentChanged = List.copyOf(contentChanged);
        removed = List.copyOf(removed);
    }

    /** No client was added, updated or removed (y-protocols emits no 'update' event then). */
    public boolean isEmpty() {
        return added.isEmpty() && updated.isEmpty() && removed.isEmpty();
    }

    /** Something a user would see changed (y-protocols' 'change' event). */
    public boolean isVisible() {
        return !added.isEmpty() || !contentChanged.isEmpty() || !removed.isEmpty();
    }

    /** Every client touched: what y-websocket re-encodes and forwards to the other peers. */
    public List<Long> clients() {
        List<Long> all = new ArrayList<>(added.size() + updated.size() + removed.size());
        all.addAll(added);
        all.addAll(updated);
        all.addAll(removed);
        return all;
    }
}
