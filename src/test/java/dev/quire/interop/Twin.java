package dev.quire.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Supplier;

/**
 * A Quire doc and a Yjs doc with the same client id that receive the same edits and the same remote updates in the
 * same order. Since Quire is a byte-for-byte port, every update either one emits must be identical, and so must
 * their encoded states.
 */
final class Twin {
    final InteropPeer.Quire quire;
    final InteropPeer.Yjs yjs;

    Twin(YjsPeer peer, String label, long clientId, boolean gc) {
        this.quire = InteropPeer.quire(label, clientId, gc);
        this.yjs = InteropPeer.yjs(peer, label, clientId, gc);
    }

    String label() {
        return quire.label();
    }

    /** Runs a step on both; returns the (identical) updates. */
    List<byte[]> run(JsonNode step, Supplier<String> context) {
        List<byte[]> y = yjs.run(step);
        List<byte[]> q = quire.run(step);
        Bytes.assertSame(y, q, () -> context.get() + ": " + label() + " ran " + step);
        return q;
    }

    /** Applies a remote update to both; returns the (identical) updates of the local cleanup it caused. */
    List<byte[]> apply(byte[] update, Supplier<String> context) {
        List<byte[]> y = yjs.apply(update);
        List<byte[]> q = quire.apply(update);
        Bytes.assertSame(y, q, () -> context.get() + ": " + label() + " applied " + Bytes.hex(update)
                + " (updates of the local cleanup transactions)");
        assertEquals(yjs.hasPending(), quire.hasPending(), () -> context.get() + ": " + label() + " pending after "
                + Bytes.hex(update));
        return q;
    }

    /** Same encoded state, state vector and visible content. */
    void assertSameState(Supplier<String> context) {
        Bytes.assertSame(yjs.encodeStateAsUpdate(), quire.encodeStateAsUpdate(),
                () -> context.get() + ": " + label() + " encodeStateAsUpdate");
        Bytes.assertSame(yjs.encodeStateVector(), quire.encodeStateVector(),
                () -> context.get() + ": " + label() + " encodeStateVector");
        assertEquals(yjs.state(), quire.state(), () -> context.get() + ": " + label() + " content");
    }
}
