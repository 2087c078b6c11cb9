package dev.quire.store;

/**
 * A user's outbox for one document as one Yjs v1 update, for sending on (re)connect: {@code entries} entries with
 * sequence numbers {@code firstSeq..lastSeq}. Once the server acknowledged the frame that carried it, {@link
 * LocalStore#acknowledgedThrough(String, String, long)} with {@code lastSeq} drops them all (clock-based acks drop
 * those with structs anyway).
 */
public record MergedOutbox(String docId, String userId, byte[] update, long firstSeq, long lastSeq, int entries) {
    @Override
    public String toString() {
        return "MergedOutbox[doc=" + docId + ", user=" + userId + ", " + update.length + " bytes, seq " + firstSeq
                + ".." + lastSeq + ", " + entries + " entries]";
    }
}
