package dev.quire.protocol;

/**
 * Server to client: the server has durably stored every update of {@code clientId} below {@code clock}; this is
 * the server's state-vector entry for the sender's client id (the next clock it expects), sent only after the
 * storage commit. The client may drop every queued update of that client id whose structs end at or below it.
 */
public record Ack(long clientId, long clock) implements QuireMessage {
    public Ack {
        AwarenessEntry.requireSafeUint("client id", clientId);
        AwarenessEntry.requireSafeUint("clock", clock);
    }
}
