package dev.quire.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * The answer to a {@link SyncStep1}: a Yjs v1 update with everything the other side lacked (y-protocols sync.js
 * {@code messageYjsSyncStep2}). A y-websocket client counts itself synced when it receives the first one.
 *
 * <p>The update is opaque here; {@link SyncProtocol#read} checks it when applying it. The array is not copied: do
 * not change it after handing it over. {@code equals} compares contents; {@code toString} shows only the length.
 */
public record SyncStep2(byte[] update) implements SyncMessage {
    public SyncStep2 {
        Objects.requireNonNull(update, "update");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SyncStep2 other && Arrays.equals(update, other.update);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(update);
    }

    @Override
    public String toString() {
        return "SyncStep2[update=" + update.length + " bytes]";
    }
}
