package dev.quire.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * "Here is what I have": the sender's encoded Yjs state vector (y-protocols sync.js {@code messageYjsSyncStep1}).
 * The receiver answers with a {@link SyncStep2} holding what the sender lacks.
 *
 * <p>The array is not copied (frames can be large and are relayed as they are): do not change it after handing it
 * over. {@code equals} compares contents; {@code toString} shows only the length.
 */
public record SyncStep1(byte[] stateVector) implements SyncMessage {
    public SyncStep1 {
        Objects.requireNonNull(stateVector, "stateVector");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SyncStep1 other && Arrays.equals(stateVector, other.stateVector);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(stateVector);
    }

    @Override
    public String toString() {
        return "SyncStep1[stateVector=" + stateVector.length + " bytes]";
    }
}
