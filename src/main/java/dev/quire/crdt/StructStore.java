package dev.quire.crdt;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every struct of a document, by client and clock (Yjs utils/StructStore.js), plus the parts of received updates
 * that wait for missing dependencies.
 */
final class StructStore {
    /** Insertion-ordered like a JavaScript Map: some iteration orders leak into the encoding. */
    final Map<Long, StructList> clients = new LinkedHashMap<>();
    /** Structs that arrived before their dependencies, as a v1 update, and the lowest clock missing per client. */
    PendingStructs pendingStructs;
    /** Deletions of content not received yet, as a v1 update without structs. */
    byte[] pendingDs;

    record PendingStructs(Map<Long, Integer> missing, byte[] update) {
    }

    /** The last list looked up: nearly every lookup is for the same client (and this avoids boxing its id). */
    private long lastClient = -1;
    private StructList lastList;

    /** The structs of {@code client}, or null. */
    StructList list(long client) {
        if (client == lastClient && lastList != null) {
            return lastList;
        }
        StructList structs = clients.get(client);
        if (structs != null) {
            lastClient = client;
            lastList = structs;
        }
        return structs;
    }

    StateVector getStateVector() {
        StateVector sv = new StateVector();
        for (Map.Entry<Long, StructList> e : clients.entrySet()) {
            sv.append(e.getKey(), e.getValue().last().endClock());
        }
        return sv;
    }

    int getState(long client) {
        StructList structs = list(client);
        return structs == null ? 0 : structs.last().endClock();
    }

    void addStruct(AbstractStruct struct) {
        StructList structs = list(struct.id.client());
        if (structs == null) {
            structs = new StructList();
            clients.put(struct.id.client(), structs);
        } else if (structs.last().endClock() != struct.id.clock()) {
            throw new IllegalStateException("struct " + struct.id + " does not continue client's clock at "
                    + structs.last().endClock());
        }
        structs.add(struct);
    }

    AbstractStruct find(ID id) {
        StructList structs = list(id.client());
        if (structs == null) {
            throw new IllegalStateException("no structs of client " + id.client());
        }
        return structs.get(structs.findIndex(id.clock()));
    }

    Item getItem(ID id) {
        return (Item) find(id);
    }

    /** Index of the struct starting exactly at {@code clock}, splitting an item if needed. */
    static int findIndexCleanStart(Transaction transaction, StructList structs, int clock) {
        int index = structs.findIndex(clock);
        AbstractStruct struct = structs.get(index);
        if (struct.id.clock() < clock && struct instanceof Item item) {
            structs.insert(index + 1, item.split(transaction, clock - item.id.clock()));
            return index + 1;
        }
        return index;
    }

    /** The struct starting at {@code id}, splitting an item if needed. */
    AbstractStruct getItemCleanStart(Transaction transaction, ID id) {
        StructList structs = list(id.client());
        return structs.get(findIndexCleanStart(transaction, structs, id.clock()));
    }

    /** The struct ending at {@code id}, splitting an item if needed. */
    AbstractStruct getItemCleanEnd(Transaction transaction, ID id) {
        StructList structs = list(id.client());
        int index = structs.findIndex(id.clock());
        AbstractStruct struct = structs.get(index);
        if (id.clock() != struct.id.clock() + struct.length - 1 && struct instanceof Item item) {
            structs.insert(index + 1, item.split(transaction, id.clock() - item.id.clock() + 1));
        }
        return struct;
    }

    void replaceStruct(AbstractStruct struct, AbstractStruct newStruct) {
        StructList structs = list(struct.id.client());
        structs.set(structs.findIndex(struct.id.clock()), newStruct);
    }

    /** Calls {@code f} on every struct in the clock range, splitting at both ends (Yjs iterateStructs). */
    static void iterateStructs(Transaction transaction, StructList structs, int clockStart, int len,
                               Consumer<AbstractStruct> f) {
        if (len == 0) {
            return;
        }
        int clockEnd = clockStart + len;
        int index = findIndexCleanStart(transaction, structs, clockStart);
        AbstractStruct struct;
        do {
            struct = structs.get(index++);
            if (clockEnd < struct.id.clock() + struct.length) {
                findIndexCleanStart(transaction, structs, clockEnd);
            }
            f.accept(struct);
        } while (index < structs.size() && structs.get(index).id.clock() < clockEnd);
    }
}
