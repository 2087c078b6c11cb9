package dev.quire.protocol;

import java.util.List;

/**
 * Presence states of one or more clients (y-protocols awareness.js {@code encodeAwarenessUpdate}), under
 * y-websocket's top-level type {@code messageAwareness} (1). {@link AwarenessStates} merges them.
 */
public record AwarenessUpdate(List<AwarenessEntry> entries) implements Message {
    public AwarenessUpdate {
        entries = List.copyOf(entries);
    }

    public static AwarenessUpdate of(AwarenessEntry... entries) {
        return new AwarenessUpdate(List.of(entries));
    }
}
