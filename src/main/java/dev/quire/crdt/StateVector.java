package dev.quire.crdt;

import dev.quire.crdt.encoding.Decoder;
import dev.quire.crdt.encoding.DecodingException;
import dev.quire.crdt.encoding.Encoder;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How much of each client's history a document has: client id → next expected clock. Encoded as Yjs does
 * (count, then client/clock pairs with the highest client first).
 *
 * <p>Every transaction takes two of these, so they are primitive arrays in insertion order (like the JavaScript
 * Map Yjs uses), with a hash index only once there are many clients.
 */
public final class StateVector {
    private static final int INDEX_FROM = 16;

    private long[] clients = new long[4];
    private int[] clocks = new int[4];
    private int size;
    /** Open-addressing index into the arrays (position + 1), built once size reaches INDEX_FROM. */
    private int[] index;

    public StateVector() {
    }

    private int slotOf(long client) {
        if (index == null) {
            for (int i = 0; i < size; i++) {
                if (clients[i] == client) {
                    return i;
                }
            }
            return -1;
        }
        int mask = index.length - 1;
        for (int h = hash(client) & mask; ; h = (h + 1) & mask) {
            int p = index[h];
            if (p == 0) {
                return -1;
            }
            if (clients[p - 1] == client) {
                return p - 1;
            }
        }
    }

    private static int hash(long client) {
        long h = client * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private void reindex() {
        index = new int[Integer.highestOneBit(size * 4 - 1) << 1];
        for (int i = 0; i < size; i++) {
            addToIndex(i);
        }
    }

    private void addToIndex(int position) {
        int mask = index.length - 1;
        int h = hash(clients[position]) & mask;
        while (index[h] != 0) {
            h = (h + 1) & mask;
        }
        index[h] = position + 1;
    }

    public int get(long client) {
        int i = slotOf(client);
        return i < 0 ? 0 : clocks[i];
    }

    boolean has(long client) {
        return slotOf(client) >= 0;
    }

    public void set(long client, int clock) {
        int i = slotOf(client);
        if (i >= 0) {
            clocks[i] = clock;
            return;
        }
        if (size == clients.length) {
            clients = Arrays.copyOf(clients, size * 2);
            clocks = Arrays.copyOf(clocks, size * 2);
        }
        clients[size] = client;
        clocks[size] = clock;
        size++;
        if (size >= INDEX_FROM && (index == null || size * 2 > index.length)) {
            reindex();
        } else if (index != null) {
            addToIndex(size - 1);
        }
    }

    /** Adds a client known to be absent (building from a store, whose clients are unique). */
    void append(long client, int clock) {
        if (size == clients.length || size + 1 >= INDEX_FROM) {
            set(client, clock);
            return;
        }
        clients[size] = client;
        clocks[size] = clock;
        size++;
    }

    /** The i-th client, in the order clients were added. */
    long clientAt(int i) {
        return clients[i];
    }

    int clockAt(int i) {
        return clocks[i];
    }

    public Map<Long, Integer> asMap() {
        Map<Long, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            m.put(clients[i], clocks[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    public int size() {
        return size;
    }

    public byte[] encode() {
        Encoder encoder = new Encoder(4 + size * 8);
        write(encoder);
        return encoder.toByteArray();
    }

    void write(Encoder encoder) {
        encoder.writeVarUint(size);
        for (int i : orderByClientDescending()) {
            encoder.writeVarUint(clients[i]);
            encoder.writeVarUint(clocks[i]);
        }
    }

    /** Positions sorted by client id, highest first (the order Yjs writes). */
    int[] orderByClientDescending() {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(clients[b], clients[a]));
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = order[i];
        }
        return out;
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
                sv.set(client, clock);
            }
            return sv;
        } catch (DecodingException e) {
            throw new UpdateFormatException("malformed state vector: " + e.getMessage(), e.offset(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StateVector sv) || sv.size != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (sv.slotOf(clients[i]) < 0 || sv.get(clients[i]) != clocks[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (int i = 0; i < size; i++) {
            h += Long.hashCode(clients[i]) ^ clocks[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
