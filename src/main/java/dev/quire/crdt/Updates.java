package dev.quire.crdt;

import dev.quire.crdt.encoding.Decoder;
import dev.quire.crdt.encoding.DecodingException;
import dev.quire.crdt.encoding.Encoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Yjs update format v1: encoding a document's state, applying updates (including ones that arrive before their
 * dependencies), and merging or diffing updates without a document (Yjs utils/encoding.js and utils/updates.js).
 */
public final class Updates {
    private Updates() {
    }

    // ---- encoding a document ----

    /** Everything the document has, as one update. */
    public static byte[] encodeStateAsUpdate(Doc doc) {
        return encodeStateAsUpdate(doc, null);
    }

    /** What the document has beyond {@code encodedStateVector} (null: everything; an empty state vector is {@code [0]}). */
    public static byte[] encodeStateAsUpdate(Doc doc, byte[] encodedStateVector) {
        StateVector target = encodedStateVector == null ? new StateVector() : StateVector.decode(encodedStateVector);
        UpdateEncoder encoder = new UpdateEncoder(new Encoder(1024));
        writeClientsStructs(encoder, doc.store, target);
        DeleteSet.fromStore(doc.store).write(encoder);
        byte[] update = encoder.toByteArray();
        List<byte[]> updates = new ArrayList<>(3);
        updates.add(update);
        // also add the pending updates, so that nothing received is lost when the state is passed on
        if (doc.store.pendingDs != null) {
            updates.add(doc.store.pendingDs);
        }
        if (doc.store.pendingStructs != null) {
            updates.add(diffUpdate(doc.store.pendingStructs.update(),
                    encodedStateVector == null ? new byte[] {0} : encodedStateVector));
        }
        return updates.size() > 1 ? mergeUpdates(updates) : update;
    }

    public static byte[] encodeStateVector(Doc doc) {
        return doc.store.getStateVector().encode();
    }

    static void writeClientsStructs(UpdateEncoder encoder, StructStore store, StateVector targetSv) {
        // only write clients that have structs the target lacks
        Map<Long, Integer> sm = new HashMap<>();
        for (int i = 0; i < targetSv.size(); i++) {
            if (store.getState(targetSv.clientAt(i)) > targetSv.clockAt(i)) {
                sm.put(targetSv.clientAt(i), targetSv.clockAt(i));
            }
        }
        for (Long client : store.clients.keySet()) {
            if (!targetSv.has(client)) {
                sm.put(client, 0);
            }
        }
        Encoder rest = encoder.rest();
        rest.writeVarUint(sm.size());
        // higher client ids first: this improves the conflict algorithm on the receiving side
        List<Map.Entry<Long, Integer>> entries = new ArrayList<>(sm.entrySet());
        entries.sort((a, b) -> Long.compare(b.getKey(), a.getKey()));
        for (Map.Entry<Long, Integer> e : entries) {
            writeStructs(encoder, store.clients.get(e.getKey()), e.getKey(), e.getValue());
        }
    }

    private static void writeStructs(UpdateEncoder encoder, StructList structs, long client, int clock) {
        clock = Math.max(clock, structs.get(0).id.clock()); // make sure the first id exists
        int startNewStructs = structs.findIndex(clock);
        encoder.rest().writeVarUint(structs.size() - startNewStructs);
        encoder.writeClient(client);
        encoder.rest().writeVarUint(clock);
        AbstractStruct firstStruct = structs.get(startNewStructs);
        // the first struct is written with an offset
        firstStruct.write(encoder, clock - firstStruct.id.clock());
        for (int i = startNewStructs + 1; i < structs.size(); i++) {
            structs.get(i).write(encoder, 0);
        }
    }

    // ---- applying ----

    public static void applyUpdate(Doc doc, byte[] update) {
        applyUpdate(doc, update, null);
    }

    /**
     * Integrates an update. Content whose dependencies are missing waits inside the document and is integrated
     * when they arrive. Malformed input throws {@link UpdateFormatException} and leaves the document unchanged.
     */
    public static void applyUpdate(Doc doc, byte[] update, Object origin) {
        Parsed parsed = parse(update);
        doc.transact(transaction -> {
            transaction.local = false;
            integrateParsed(transaction, parsed);
            return null;
        }, origin, false);
    }

    /** An update decoded in full: structs per client and the delete set. */
    private record Parsed(Map<Long, ClientRefs> refs, DeleteSet ds) {
    }

    private static final class ClientRefs {
        int i;
        List<AbstractStruct> refs;

        ClientRefs(List<AbstractStruct> refs) {
            this.refs = refs;
        }
    }

    private static Parsed parse(byte[] update) {
        try {
            UpdateDecoder decoder = new UpdateDecoder(new Decoder(update));
            Map<Long, ClientRefs> clientRefs = new LinkedHashMap<>();
            Decoder rest = decoder.rest();
            int numOfStateUpdates = rest.readVarUintAsInt("number of clients");
            for (int i = 0; i < numOfStateUpdates; i++) {
                int numberOfStructs = rest.readVarUintAsInt("number of structs");
                long client = decoder.readClient();
                int clock = rest.readVarUintAsInt("clock");
                List<AbstractStruct> refs = new ArrayList<>(Math.min(numberOfStructs, rest.remaining()));
                StructReader reader = StructReader.single(decoder, client, clock, numberOfStructs);
                for (AbstractStruct s = reader.curr; s != null; s = reader.next()) {
                    refs.add(s);
                }
                clientRefs.put(client, new ClientRefs(refs));
            }
            DeleteSet ds = DeleteSet.read(decoder);
            return new Parsed(clientRefs, ds);
        } catch (DecodingException e) {
            throw new UpdateFormatException("malformed update: " + e.getMessage(), e.offset(), e);
        }
    }

    private static void integrateParsed(Transaction transaction, Parsed parsed) {
        Doc doc = transaction.doc;
        StructStore store = doc.store;
        boolean retry = false;
        StructStore.PendingStructs restStructs = integrateStructs(transaction, store, parsed.refs);
        StructStore.PendingStructs pending = store.pendingStructs;
        if (pending != null) {
            // check if we can apply something
            for (Map.Entry<Long, Integer> e : pending.missing().entrySet()) {
                if (e.getValue() < store.getState(e.getKey())) {
                    retry = true;
                    break;
                }
            }
            if (restStructs != null) {
                // merge restStructs into store.pending
                for (Map.Entry<Long, Integer> e : restStructs.missing().entrySet()) {
                    Integer mclock = pending.missing().get(e.getKey());
                    if (mclock == null || mclock > e.getValue()) {
                        pending.missing().put(e.getKey(), e.getValue());
                    }
                }
                store.pendingStructs = new StructStore.PendingStructs(pending.missing(),
                        mergeUpdates(List.of(pending.update(), restStructs.update())));
            }
        } else {
            store.pendingStructs = restStructs;
        }
        byte[] dsRest = parsed.ds.apply(transaction, store);
        if (store.pendingDs != null) {
            UpdateDecoder pendingDecoder = new UpdateDecoder(new Decoder(store.pendingDs));
            pendingDecoder.rest().readVarUint(); // 0 structs: pending deletes are stored without structs
            byte[] dsRest2 = DeleteSet.read(pendingDecoder).apply(transaction, store);
            if (dsRest != null && dsRest2 != null) {
                store.pendingDs = mergeUpdates(List.of(dsRest, dsRest2));
            } else {
                store.pendingDs = dsRest != null ? dsRest : dsRest2;
            }
        } else {
            store.pendingDs = dsRest;
        }
        if (retry) {
            byte[] update = store.pendingStructs.update();
            store.pendingStructs = null;
            integrateParsed(transaction, parse(update));
        }
    }

    /**
     * Integrates structs in causal order (Yjs integrateStructs): a struct whose dependency is in this update is
     * integrated after it; one whose dependency is missing goes back, with everything after it from the same
     * client, into the returned pending update.
     */
    private static StructStore.PendingStructs integrateStructs(Transaction transaction, StructStore store,
                                                               Map<Long, ClientRefs> clientsStructRefs) {
        List<AbstractStruct> stack = new ArrayList<>();
        // higher ids first in case of conflicts: the lower id will probably not conflict with the higher user
        List<Long> ids = new ArrayList<>(clientsStructRefs.keySet());
        ids.sort(Long::compare);
        if (ids.isEmpty()) {
            return null;
        }
        ClientRefs curStructsTarget = nextStructTarget(ids, clientsStructRefs);
        if (curStructsTarget == null) {
            return null;
        }
        StructStore restStructs = new StructStore();
        Map<Long, Integer> missingSv = new HashMap<>();
        AbstractStruct stackHead = curStructsTarget.refs.get(curStructsTarget.i++);
        Map<Long, Integer> state = new HashMap<>();
        while (true) {
            if (!(stackHead instanceof Skip)) {
                long client = stackHead.id.client();
                int localClock = state.computeIfAbsent(client, store::getState);
                int offset = localClock - stackHead.id.clock();
                if (offset < 0) {
                    // an update from the same client is missing
                    stack.add(stackHead);
                    updateMissingSv(missingSv, client, stackHead.id.clock() - 1);
                    addStackToRest(stack, clientsStructRefs, restStructs, ids);
                } else {
                    long missing = stackHead.getMissing(transaction, store);
                    if (missing != -1) {
                        stack.add(stackHead);
                        ClientRefs structRefs = clientsStructRefs.get(missing);
                        if (structRefs == null || structRefs.refs.size() == structRefs.i) {
                            // depends on an update that has not arrived yet
                            updateMissingSv(missingSv, missing, store.getState(missing));
                            addStackToRest(stack, clientsStructRefs, restStructs, ids);
                        } else {
                            stackHead = structRefs.refs.get(structRefs.i++);
                            continue;
                        }
                    } else if (offset == 0 || offset < stackHead.length) {
                        stackHead.integrate(transaction, offset);
                        state.put(client, stackHead.id.clock() + stackHead.length);
                    }
                }
            }
            if (!stack.isEmpty()) {
                stackHead = stack.remove(stack.size() - 1);
            } else if (curStructsTarget != null && curStructsTarget.i < curStructsTarget.refs.size()) {
                stackHead = curStructsTarget.refs.get(curStructsTarget.i++);
            } else {
                curStructsTarget = nextStructTarget(ids, clientsStructRefs);
                if (curStructsTarget == null) {
                    break;
                }
                stackHead = curStructsTarget.refs.get(curStructsTarget.i++);
            }
        }
        if (!restStructs.clients.isEmpty()) {
            UpdateEncoder encoder = new UpdateEncoder();
            writeClientsStructs(encoder, restStructs, new StateVector());
            encoder.rest().writeVarUint(0); // no deletes
            return new StructStore.PendingStructs(missingSv, encoder.toByteArray());
        }
        return null;
    }

    private static ClientRefs nextStructTarget(List<Long> ids, Map<Long, ClientRefs> clientsStructRefs) {
        if (ids.isEmpty()) {
            return null;
        }
        ClientRefs next = clientsStructRefs.get(ids.get(ids.size() - 1));
        while (next.refs.size() == next.i) {
            ids.remove(ids.size() - 1);
            if (ids.isEmpty()) {
                return null;
            }
            next = clientsStructRefs.get(ids.get(ids.size() - 1));
        }
        return next;
    }

    private static void updateMissingSv(Map<Long, Integer> missingSv, long client, int clock) {
        Integer mclock = missingSv.get(client);
        if (mclock == null || mclock > clock) {
            missingSv.put(client, clock);
        }
    }

    private static void addStackToRest(List<AbstractStruct> stack, Map<Long, ClientRefs> clientsStructRefs,
                                       StructStore restStructs, List<Long> ids) {
        for (AbstractStruct item : stack) {
            long client = item.id.client();
            ClientRefs inapplicable = clientsStructRefs.get(client);
            StructList list = new StructList();
            if (inapplicable != null) {
                // decrement because we weren't able to apply the previous operation
                inapplicable.i--;
                for (int k = inapplicable.i; k < inapplicable.refs.size(); k++) {
                    list.add(inapplicable.refs.get(k));
                }
                clientsStructRefs.remove(client);
                inapplicable.i = 0;
                inapplicable.refs = new ArrayList<>();
            } else {
                // the item was the last of its client and the list was cleared already
                list.add(item);
            }
            restStructs.clients.put(client, list);
            // never apply this client's structs of this update again
            ids.removeIf(c -> c == client);
        }
        stack.clear();
    }

    // ---- working on updates without a document ----

    /** Merges updates into one (Yjs mergeUpdates). Structs are not re-merged, so the result is deterministic. */
    public static byte[] mergeUpdates(List<byte[]> updates) {
        if (updates.size() == 1) {
            return updates.get(0);
        }
        try {
            return MergeUpdates.merge(updates);
        } catch (DecodingException e) {
            throw new UpdateFormatException("malformed update: " + e.getMessage(), e.offset(), e);
        }
    }

    /** The part of {@code update} that a peer with state vector {@code encodedSv} lacks (Yjs diffUpdate). */
    public static byte[] diffUpdate(byte[] update, byte[] encodedSv) {
        StateVector state = StateVector.decode(encodedSv);
        try {
            return MergeUpdates.diff(update, state);
        } catch (DecodingException e) {
            throw new UpdateFormatException("malformed update: " + e.getMessage(), e.offset(), e);
        }
    }

    /**
     * Which clocks an update carries, per client id: {@code from} is the clock of its first struct, {@code to} the end
     * of its last (Yjs parseUpdateMeta; like Yjs, skipped ranges inside are counted in). A server uses it to see whose
     * content an update brings without applying it.
     *
     * @throws UpdateFormatException if the update is malformed
     */
    public static UpdateMeta parseUpdateMeta(byte[] update) {
        try {
            return MergeUpdates.meta(update);
        } catch (DecodingException e) {
            throw new UpdateFormatException("malformed update: " + e.getMessage(), e.offset(), e);
        }
    }

    /** The result of {@link #parseUpdateMeta}: for each client id, the clocks {@code [from, to)} an update spans. */
    public record UpdateMeta(Map<Long, Integer> from, Map<Long, Integer> to) {
        public UpdateMeta {
            from = Map.copyOf(from);
            to = Map.copyOf(to);
        }
    }

    /** The state vector a document would have after applying only this update. */
    public static byte[] encodeStateVectorFromUpdate(byte[] update) {
        try {
            return MergeUpdates.stateVectorFromUpdate(update);
        } catch (DecodingException e) {
            throw new UpdateFormatException("malformed update: " + e.getMessage(), e.offset(), e);
        }
    }
}
