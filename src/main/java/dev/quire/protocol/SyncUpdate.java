package dev.quire.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * A Yjs v1 update made after the handshake, sent to every peer of the document (y-protocols sync.js
 * {@code messageYjsUpdate}).
 *
 * <p>The update is opaque here; {@link SyncProtocol#read} checks it when applying it. The array is not copied: do
 * not change it after handing it over. {@code equals} compares contents; {@code toString} shows only the length.
 */
public record SyncUpdate(byte[] update) implements SyncMessage {
    public SyncUpdate {
        Objects.requireNonNull(update, "update");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SyncUpdate other && Arrays.equals(update, other.update);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(update);
    }

    @Override
    public String toString() {
        return "SyncUpdate[update=" + update.length + " bytes]";
    }
}
