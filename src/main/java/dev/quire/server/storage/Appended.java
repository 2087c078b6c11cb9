package dev.quire.server.storage;

import dev.quire.crdt.StateVector;

/**
 * The result of {@link DocumentStore#appendUpdate}: the update is committed and may be acknowledged.
 *
 * @param seq   the update's position in the document's log, or 0 when the update added nothing the document did not
 *              already have (a re-sent update): then nothing was stored, and acknowledging it is still correct
 * @param state the document's durable state vector after the update
 */
public record Appended(long seq, StateVector state) {
    public boolean stored() {
        return seq > 0;
    }

    /**
     * The durable clock of one client: every update of that client below this clock is stored, so a client can
     * drop its queued updates up to here (the clock an ack carries, issue 5 "Durable acks").
     */
    public int clockOf(long clientId) {
        return state.get(clientId);
    }
}
