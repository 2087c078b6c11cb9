package dev.quire.crdt;

import dev.quire.crdt.encoding.DecodingException;
import dev.quire.crdt.encoding.Encoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Deleted clock ranges per client (Yjs utils/DeleteSet.js). Deletions are not structs: they travel as this set,
 * after the structs of every update.
 */
final class DeleteSet {
    /** Clock ranges of one client, as parallel arrays; sorted and merged after {@link #sortAndMerge()}. */
    static final class Ranges {
        int[] clocks = new int[4];
        int[] lens = new int[4];
        int size;

        void add(int clock, int len) {
            if (size == clocks.length) {
                clocks = Arrays.copyOf(clocks, size * 2);
                lens = Arrays.copyOf(lens, size * 2);
            }
            clocks[size] = clock;
            lens[size] = len;
            size++;
        }

        void sortAndMerge() {
            if (size > 1) {
                boolean sorted = true;
                for (int i = 1; i < size; i++) {
                    if (clocks[i - 1] > clocks[i]) {
                        sorted = false;
                        break;
                    }
                }
                if (!sorted) {
                    long[] packed = new long[size];
                    for (int i = 0; i < size; i++) {
                        packed[i] = ((long) clocks[i] << 32) | (lens[i] & 0xFFFFFFFFL);
                    }
                    // a stable sort by clock; equal clocks keep their order like Array.prototype.sort
                    Integer[] order = new Integer[size];
                    for (int i = 0; i < size; i++) {
                        order[i] = i;
                    }
                    Arrays.sort(order, (x, y) -> Integer.compare(clocks[x], clocks[y]));
                    int[] c = new int[clocks.length];
                    int[] l = new int[lens.length];
                    for (int i = 0; i < size; i++) {
                        c[i] = (int) (packed[order[i]] >>> 32);
                        l[i] = (int) packed[order[i]];
                    }
                    clocks = c;
                    lens = l;
                }
            }
            int j = 1;
            for (int i = 1; i < size; i++) {
                int leftClock = clocks[j - 1];
                int leftLen = lens[j - 1];
                if (leftClock + leftLen >= clocks[i]) {
                    lens[j - 1] = Math.max(leftLen, clocks[i] + lens[i] - leftClock);
                } else {
                    clocks[j] = clocks[i];
                    lens[j] = lens[i];
                    j++;
                }
            }
            if (size > 0) {
                size = j;
            }
        }

        /** Index of the range containing {@code clock}, or -1 (ranges must be sorted). */
        int find(int clock) {
            int left = 0;
            int right = size - 1;
            while (left <= right) {
                int mid = (left + right) >>> 1;
                int midClock = clocks[mid];
                if (midClock <= clock) {
                    if (clock < midClock + lens[mid]) {
                        return mid;
                    }
                    left = mid + 1;
                } else {
                    right = mid - 1;
                }
            }
            return -1;
        }
    }

    final LinkedHashMap<Long, Ranges> clients = new LinkedHashMap<>();

    boolean isEmpty() {
        return clients.isEmpty();
    }

    void add(long client, int clock, int len) {
        clients.computeIfAbsent(client, c -> new Ranges()).add(clock, len);
    }

    boolean isDeleted(ID id) {
        Ranges r = clients.get(id.client());
        return r != null && r.find(id.clock()) >= 0;
    }

    void sortAndMerge() {
        for (Ranges r : clients.values()) {
            r.sortAndMerge();
        }
    }

    static DeleteSet merge(List<DeleteSet> sets) {
        DeleteSet merged = new DeleteSet();
        for (DeleteSet ds : sets) {
            for (Map.Entry<Long, Ranges> e : ds.clients.entrySet()) {
                Ranges target = merged.clients.computeIfAbsent(e.getKey(), c -> new Ranges());
                Ranges src = e.getValue();
                for (int i = 0; i < src.size; i++) {
                    target.add(src.clocks[i], src.lens[i]);
                }
            }
        }
        merged.sortAndMerge();
        return merged;
    }

    /** Calls {@code f} on every struct in the deleted ranges that the store has, splitting at the edges. */
    void iterateDeletedStructs(Transaction transaction, Consumer<AbstractStruct> f) {
        for (Map.Entry<Long, Ranges> e : clients.entrySet()) {
            StructList structs = transaction.doc.store.clients.get(e.getKey());
            if (structs == null) {
                continue;
            }
            int clockState = structs.last().endClock();
            Ranges r = e.getValue();
            for (int i = 0; i < r.size && r.clocks[i] < clockState; i++) {
                StructStore.iterateStructs(transaction, structs, r.clocks[i], r.lens[i], f);
            }
        }
    }

    /** The deleted ranges of a whole store (Yjs createDeleteSetFromStructStore). */
    static DeleteSet fromStore(StructStore store) {
        DeleteSet ds = new DeleteSet();
        for (Map.Entry<Long, StructList> e : store.clients.entrySet()) {
            StructList structs = e.getValue();
            Ranges ranges = null;
            for (int i = 0; i < structs.size(); i++) {
                AbstractStruct struct = structs.get(i);
                if (struct.isDeleted()) {
                    int clock = struct.id.clock();
                    int len = struct.length;
                    while (i + 1 < structs.size() && structs.get(i + 1).isDeleted()) {
                        len += structs.get(++i).length;
                    }
                    if (ranges == null) {
                        ranges = new Ranges();
                    }
                    ranges.add(clock, len);
                }
            }
            if (ranges != null) {
                ds.clients.put(e.getKey(), ranges);
            }
        }
        return ds;
    }

    /** Writes clients in descending order, as Yjs does for a deterministic encoding. */
    void write(UpdateEncoder encoder) {
        Encoder rest = encoder.rest();
        rest.writeVarUint(clients.size());
        List<Map.Entry<Long, Ranges>> entries = new ArrayList<>(clients.entrySet());
        entries.sort((a, b) -> Long.compare(b.getKey(), a.getKey()));
        for (Map.Entry<Long, Ranges> e : entries) {
            rest.writeVarUint(e.getKey());
            Ranges r = e.getValue();
            rest.writeVarUint(r.size);
            for (int i = 0; i < r.size; i++) {
                encoder.writeDsClock(r.clocks[i]);
                encoder.writeDsLen(r.lens[i]);
            }
        }
    }

    static DeleteSet read(UpdateDecoder decoder) {
        DeleteSet ds = new DeleteSet();
        int numClients = decoder.rest().readVarUintAsInt("delete set size");
        for (int i = 0; i < numClients; i++) {
            long client = decoder.rest().readVarUint();
            int n = decoder.rest().readVarUintAsInt("delete set range count");
            if (n > 0) {
                Ranges r = ds.clients.computeIfAbsent(client, c -> new Ranges());
                for (int j = 0; j < n; j++) {
                    int clock = decoder.readDsClock();
                    int at = decoder.rest().position();
                    int len = decoder.readDsLen();
                    if ((long) clock + len > Integer.MAX_VALUE) {
                        // clocks are ints here (StructReader rejects structs past 2^31-1 too); the end would wrap
                        throw new DecodingException("delete range " + client + ":" + clock + "+" + len
                                + " ends beyond clock " + Integer.MAX_VALUE, at);
                    }
                    r.add(clock, len);
                }
            }
        }
        return ds;
    }

    /**
     * Applies deletions to the store (Yjs readAndApplyDeleteSet) and returns the ranges that refer to content not
     * received yet, encoded as an update without structs, or null.
     */
    byte[] apply(Transaction transaction, StructStore store) {
        DeleteSet unapplied = new DeleteSet();
        for (Map.Entry<Long, Ranges> e : clients.entrySet()) {
            long client = e.getKey();
            Ranges r = e.getValue();
            StructList structs = store.clients.get(client);
            int state = store.getState(client);
            for (int i = 0; i < r.size; i++) {
                int clock = r.clocks[i];
                int clockEnd = clock + r.lens[i];
                if (clock < state) {
                    if (state < clockEnd) {
                        unapplied.add(client, state, clockEnd - state);
                    }
                    int index = structs.findIndex(clock);
                    AbstractStruct struct = structs.get(index);
                    // split the first item if necessary
                    if (!struct.isDeleted() && struct.id.clock() < clock) {
                        structs.insert(index + 1, ((Item) struct).split(transaction, clock - struct.id.clock()));
                        index++;
                    }
                    while (index < structs.size()) {
                        struct = structs.get(index++);
                        if (struct.id.clock() < clockEnd) {
                            if (!struct.isDeleted()) {
                                Item item = (Item) struct;
                                if (clockEnd < item.id.clock() + item.length) {
                                    structs.insert(index, item.split(transaction, clockEnd - item.id.clock()));
                                }
                                item.delete(transaction);
                            }
                        } else {
                            break;
                        }
                    }
                } else {
                    unapplied.add(client, clock, clockEnd - clock);
                }
            }
        }
        if (!unapplied.isEmpty()) {
            UpdateEncoder encoder = new UpdateEncoder();
            encoder.rest().writeVarUint(0); // no structs
            unapplied.write(encoder);
            return encoder.toByteArray();
        }
        return null;
    }
}
