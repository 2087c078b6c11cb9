package dev.quire.crdt;

import dev.quire.crdt.encoding.Decoder;
import dev.quire.crdt.encoding.DecodingException;
import dev.quire.crdt.encoding.Encoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much of each client's history a document has: client id → next expected clock. Encoded as Yjs does
 * (count, then client/clock pairs with the highest client first).
 */
public final class StateVector {
    private final LinkedHashMap<Long, Integer> clocks = new LinkedHashMap<>();

    public StateVector() {
    }

    public int get(long client) {
        Integer c = clocks.get(client);
        return c == null ? 0 : c;
    }

    boolean has(long client) {
        return clocks.containsKey(client);
    }

    public void set(long client, int clock) {
        clocks.put(client, clock);
    }

    public Map<Long, Integer> asMap() {
        return Collections.unmodifiableMap(clocks);
    }

    public int size() {
        return clocks.size();
    }

    public byte[] encode() {
        Encoder encoder = new Encoder(4 + clocks.size() * 8);
        write(encoder);
        return encoder.toByteArray();
    }

    void write(Encoder encoder) {
        encoder.writeVarUint(clocks.size());
        List<Map.Entry<Long, Integer>> entries = new ArrayList<>(clocks.entrySet());
        entries.sort((a, b) -> Long.compare(b.getKey(), a.getKey()));
        for (Map.Entry<Long, Integer> e : entries) {
            encoder.writeVarUint(e.getKey());
            encoder.writeVarUint(e.getValue());
        }
    }

    /** Decodes an encoded state vector; throws {@link UpdateFormatException} on malformed input. */
    public static StateVector decode(byte[] bytes) {
        try {
            Decoder decoder = new Decoder(bytes);
            StateVector sv = new StateVector();
            int n = decoder.readVarUintAsInt("state vector size");
            for (int i = 0; i < n; i++) {
                long client = decoder.readVarUint();
                int clock = decoder.readVarUintAsInt("clock");
                sv.clocks.put(client, clock);
            }
            return sv;
        } catch (DecodingException e) {
            throw new UpdateFormatException("malformed state vector: " + e.getMessage(), e.offset(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateVector sv && sv.clocks.equals(clocks);
    }

    @Override
    public int hashCode() {
        return clocks.hashCode();
    }

    @Override
    public String toString() {
        return clocks.toString();
    }

    static StateVector copyOf(Map<Long, Integer> m) {
        StateVector sv = new StateVector();
        sv.clocks.putAll(m);
        return sv;
    }

    LinkedHashMap<Long, Integer> raw() {
        return clocks;
    }
}
