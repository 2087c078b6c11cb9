package dev.quire.interop;

import static dev.quire.interop.Steps.arrayInsert;
import static dev.quire.interop.Steps.delete;
import static dev.quire.interop.Steps.embed;
import static dev.quire.interop.Steps.format;
import static dev.quire.interop.Steps.insert;
import static dev.quire.interop.Steps.mapSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Quire and Yjs replicas in one network: updates made by either apply in the other, in any order and more than
 * once, and everybody ends with the same content. Where two replicas hold the same structs (a Quire doc and a Yjs
 * doc that applied the same updates in the same order) their encoded states are byte-identical.
 */
class ConvergenceTest {
    private static YjsPeer peer;

    @BeforeAll
    static void startPeer() {
        peer = YjsPeer.shared();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void quireAndYjsReplicasConvergeUnderShuffledDuplicatedDelivery(long seed) {
        Random rng = new Random(seed);
        String why = "seed " + seed + " (replay: ConvergenceTest with this seed)";
        // Q0, Y1, Q2, Y3: client ids above and below 2^31, so that conflicts are decided both ways
        List<InteropPeer> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long client = (rng.nextLong() >>> 32) | (i % 2 == 0 ? 0 : 1);
            String label = (i % 2 == 0 ? "Q" : "Y") + i + "-s" + seed;
            replicas.add(i % 2 == 0 ? InteropPeer.quire(label, client, rng.nextBoolean())
                    : InteropPeer.yjs(peer, label, client, rng.nextBoolean()));
        }
        Network net = new Network(replicas.size(), rng, 15, (to, u) -> replicas.get(to).apply(u));
        RandomSteps steps = new RandomSteps(rng, true, true);
        // two replicas type into the same spot concurrently before anything is exchanged
        net.send(0, replicas.get(0).run(insert(0, "Quire says hi")));
        net.send(1, replicas.get(1).run(insert(0, "Yjs says hello")));
        net.send(1, replicas.get(1).run(format(0, 3, Map.of("bold", true))));
        for (int op = 0; op < 80; op++) {
            int p = rng.nextInt(replicas.size());
            InteropPeer r = replicas.get(p);
            InteropPeer.DocState s = r.state();
            ObjectNode step = steps.next(s.units(), s.arrayLength());
            net.send(p, r.run(step));
            for (int d = rng.nextInt(4); d > 0; d--) {
                net.deliverOne();
            }
        }
        net.flush();
        InteropPeer.DocState expected = replicas.get(0).state();
        for (InteropPeer r : replicas) {
            assertFalse(r.hasPending(), () -> why + ": " + r + " still has pending updates");
            assertEquals(expected, r.state(), () -> why + ": " + r + " differs from " + replicas.get(0));
            Bytes.assertSame(replicas.get(0).encodeStateVector(), r.encodeStateVector(),
                    () -> why + ": state vector of " + r);
        }
        // same structs, same bytes: a fresh Quire doc and a fresh Yjs doc apply every message in one shuffled order
        List<Network.Message> all = new ArrayList<>(net.log());
        Collections.shuffle(all, rng);
        Twin witness = new Twin(peer, "witness-s" + seed, 77, true);
        for (Network.Message m : all) {
            witness.apply(m.update(), () -> why + ": witness");
        }
        witness.assertSameState(() -> why + ": witness of all messages");
        assertEquals(expected, witness.quire.state(), () -> why + ": witness content");
        // and each replica's whole state loads into both implementations alike
        for (InteropPeer r : replicas) {
            Twin loaded = new Twin(peer, "loaded-" + r.label(), 78, true);
            loaded.apply(r.encodeStateAsUpdate(), () -> why + ": loading the state of " + r);
            loaded.assertSameState(() -> why + ": state of " + r + " loaded into fresh docs");
            assertEquals(expected, loaded.quire.state(), () -> why + ": loaded state of " + r);
            peer.free("loaded-" + r.label());
        }
        peer.free("witness-s" + seed);
        replicas.stream().filter(r -> r instanceof InteropPeer.Yjs).forEach(r -> peer.free(r.label()));
    }

    @Test
    void updatesAheadOfTheirDependenciesWaitAsPendingThenIntegrate() {
        for (boolean fromYjs : new boolean[] {true, false}) {
            String why = fromYjs ? "updates made by Yjs" : "updates made by Quire";
            InteropPeer producer = fromYjs ? InteropPeer.yjs(peer, "producer", 5, true) : InteropPeer.quire("producer", 5, true);
            List<byte[]> updates = new ArrayList<>();
            for (ObjectNode step : List.of(insert(0, "abc"), insert(3, "def"), insert(1, "XY"),
                    format(0, 4, Map.of("bold", true)), delete(2, 3), mapSet("k", 1L), arrayInsert(0, List.of("v")),
                    embed(1, Map.of("image", "i.png")))) {
                updates.addAll(producer.run(step));
            }
            assertEquals(8, updates.size());
            Twin receiver = new Twin(peer, "receiver", 6, true);
            // newest first: every update but the first one depends on an earlier one
            for (int i = updates.size() - 1; i >= 1; i--) {
                int n = i;
                receiver.apply(updates.get(i), () -> why + ", update " + n + " before its dependencies");
                assertTrue(receiver.quire.hasPending(), () -> why + ": update " + n + " should wait");
                // the pending structs and deletes are part of the encoded state, in both implementations
                receiver.assertSameState(() -> why + ", waiting for update 0");
            }
            assertEquals("", receiver.quire.state().text(), why + ": nothing is visible before the first update");
            receiver.apply(updates.get(0), () -> why + ", update 0");
            assertFalse(receiver.quire.hasPending(), why + ": all integrated");
            assertFalse(receiver.yjs.hasPending(), why + ": all integrated (Yjs)");
            assertEquals(producer.state(), receiver.quire.state(), why);
            receiver.assertSameState(() -> why + ", everything integrated");
            peer.free("receiver");
            peer.free("producer");
        }
    }

    @Test
    void deleteOfContentNotYetReceivedWaitsThenApplies() {
        InteropPeer.Yjs producer = InteropPeer.yjs(peer, "deleter", 9, true);
        byte[] inserted = producer.run(insert(0, "abcdef")).get(0);
        byte[] deleted = producer.run(delete(1, 3)).get(0);
        Twin receiver = new Twin(peer, "late", 10, true);
        receiver.apply(deleted, () -> "the delete arrives first");
        assertTrue(receiver.quire.hasPending(), "a delete of unknown content waits (pending delete set)");
        receiver.assertSameState(() -> "with a pending delete set");
        receiver.apply(inserted, () -> "then the insert");
        assertFalse(receiver.quire.hasPending());
        assertEquals("aef", receiver.quire.state().text());
        receiver.assertSameState(() -> "after both");
        peer.free("deleter");
        peer.free("late");
    }

    @Test
    void concurrentFormattingFromBothSidesConverges() {
        InteropPeer q = InteropPeer.quire("fq", 100, true);
        InteropPeer y = InteropPeer.yjs(peer, "fy", 200, true);
        byte[] base = q.run(insert(0, "one two three four")).get(0);
        y.apply(base);
        List<byte[]> fromQ = new ArrayList<>();
        List<byte[]> fromY = new ArrayList<>();
        fromQ.addAll(q.run(format(0, 7, Map.of("bold", true))));
        fromQ.addAll(q.run(format(4, 9, Map.of("italic", true))));
        fromY.addAll(y.run(format(2, 10, Map.of("bold", true))));
        fromY.addAll(y.run(format(8, 5, ByteIdentityTest.map("italic", null))));
        fromY.addAll(y.run(insert(8, "2½", Map.of("color", "red"))));
        fromQ.addAll(q.run(delete(3, 5)));
        // exchange until no cleanup transaction produces anything new
        while (!fromQ.isEmpty() || !fromY.isEmpty()) {
            List<byte[]> toY = new ArrayList<>(fromQ);
            List<byte[]> toQ = new ArrayList<>(fromY);
            fromQ.clear();
            fromY.clear();
            toY.forEach(u -> fromY.addAll(y.apply(u)));
            toQ.forEach(u -> fromQ.addAll(q.apply(u)));
        }
        assertEquals(y.state(), q.state());
        Bytes.assertSame(y.encodeStateVector(), q.encodeStateVector(), () -> "state vectors");
        peer.free("fy");
    }
}
