package dev.quire.interop;

import static dev.quire.interop.Steps.arrayDelete;
import static dev.quire.interop.Steps.arrayInsert;
import static dev.quire.interop.Steps.delete;
import static dev.quire.interop.Steps.format;
import static dev.quire.interop.Steps.insert;
import static dev.quire.interop.Steps.mapDelete;
import static dev.quire.interop.Steps.mapSet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quire.crdt.Updates;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Working on updates without a document: Quire's mergeUpdates, diffUpdate and encodeStateVectorFromUpdate give
 * the same bytes as Yjs's for the same inputs, including updates out of causal order (the merge writes Skip
 * structs over the gaps), overlapping updates, duplicates and updates of collected (GC) content.
 */
class MergeDiffInteropTest {
    private static YjsPeer peer;

    @BeforeAll
    static void startPeer() {
        peer = YjsPeer.shared();
    }

    /** Named inputs: updates to merge, and state vectors to diff the merge result (and each update) against. */
    record Case(String name, List<byte[]> updates, List<byte[]> svs) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        // one client typing, formatting and deleting: one update per transaction, plus the state vector before each
        Recorder a = new Recorder(1, true);
        a.run(insert(0, "Hello"), insert(5, " world"), format(0, 5, Map.of("bold", true)), delete(3, 4),
                mapSet("k", "v"), arrayInsert(0, List.of(1L, 2L, 3L)), arrayDelete(1, 1), insert(0, "😀"),
                mapSet("k", 2.5), mapDelete("k"));
        // a second client editing concurrently, and a third that saw both
        Recorder b = new Recorder(2, true);
        b.run(insert(0, "concurrent"), delete(0, 3), insert(2, "XYZ", Map.of("italic", true)));
        Recorder c = new Recorder(3_000_000_000L, false);
        a.updates.forEach(c::apply);
        b.updates.forEach(c::apply);
        c.run(insert(4, "third"), delete(0, 6), format(0, 8, Map.of("link", "https://quire.dev")));
        List<byte[]> svs = new ArrayList<>(a.svs);
        svs.addAll(b.svs);
        svs.addAll(c.svs);
        svs.add(new byte[] {0});
        svs.add(Updates.encodeStateVector(c.doc.doc));
        svs.add(new byte[] {1, 1, 100}); // client 1 at clock 100: ahead of everything here

        List<byte[]> reversed = new ArrayList<>(a.updates);
        Collections.reverse(reversed);
        List<byte[]> everyOther = new ArrayList<>();
        for (int i = 0; i < a.updates.size(); i += 2) {
            everyOther.add(a.updates.get(i));
        }
        List<byte[]> overlapping = new ArrayList<>(a.updates.subList(2, 6));
        overlapping.add(Updates.encodeStateAsUpdate(a.doc.doc));
        overlapping.add(a.updates.get(3));
        overlapping.add(a.states.get(4));
        List<byte[]> all = new ArrayList<>(a.updates);
        all.addAll(b.updates);
        all.addAll(c.updates);
        List<byte[]> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new Random(42));
        byte[] gcState = Updates.encodeStateAsUpdate(a.doc.doc); // gc on: deleted text is ContentDeleted / GC
        byte[] noGcState = Updates.encodeStateAsUpdate(c.doc.doc); // gc off: deleted content kept
        List<byte[]> mergedTwice = List.of(Updates.mergeUpdates(a.updates.subList(0, 5)),
                Updates.mergeUpdates(a.updates.subList(3, 10)), Updates.mergeUpdates(b.updates));
        List<byte[]> deletesOnly = new ArrayList<>();
        for (byte[] u : List.of(a.updates.get(3), b.updates.get(1), c.updates.get(1))) {
            deletesOnly.add(u);
        }
        return Stream.of(
                new Case("consecutive updates of one client", a.updates, svs),
                new Case("the same updates newest first", reversed, svs),
                new Case("every other update (gaps become Skip structs)", everyOther, svs),
                new Case("overlapping: increments, a full state and a partial state", overlapping, svs),
                new Case("the same update twice", List.of(a.updates.get(1), a.updates.get(1)), svs),
                new Case("three clients in random order", shuffled, svs),
                new Case("updates that only delete or also delete", deletesOnly, svs),
                new Case("whole states with gc on and off", List.of(noGcState, gcState), svs),
                new Case("merge results merged again", mergedTwice, svs),
                new Case("empty updates", List.of(new byte[] {0, 0}, new byte[] {0, 0}), svs),
                new Case("an empty update with a real one", List.of(new byte[] {0, 0}, a.updates.get(2)), svs),
                new Case("no updates at all", List.of(), svs));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mergeDiffAndStateVectorMatchYjs(Case c) {
        assertSameMergeDiffSv(c.updates(), c.svs(), c.name());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void randomSubsetsOfRandomHistoriesMatchYjs(long seed) {
        Random rng = new Random(seed);
        List<Recorder> replicas = List.of(new Recorder(rng.nextLong() >>> 32, true),
                new Recorder(rng.nextLong() >>> 32, rng.nextBoolean()), new Recorder(rng.nextLong() >>> 32, true));
        Network net = new Network(replicas.size(), rng, 10, (to, u) -> replicas.get(to).apply(u));
        RandomSteps steps = new RandomSteps(rng, false, true);
        List<byte[]> pool = new ArrayList<>();
        List<byte[]> svs = new ArrayList<>();
        for (int op = 0; op < 60; op++) {
            int p = rng.nextInt(replicas.size());
            Recorder r = replicas.get(p);
            InteropPeer.DocState s = r.doc.state();
            net.send(p, r.run(steps.next(s.units(), s.arrayLength())));
            if (rng.nextBoolean()) {
                net.deliverOne();
            }
            if (rng.nextInt(8) == 0) {
                pool.add(Updates.encodeStateAsUpdate(r.doc.doc));
                Recorder other = replicas.get(rng.nextInt(replicas.size()));
                pool.add(Updates.encodeStateAsUpdate(r.doc.doc, Updates.encodeStateVector(other.doc.doc)));
            }
        }
        net.log().forEach(m -> pool.add(m.update()));
        replicas.forEach(r -> svs.addAll(r.svs));
        for (int k = 0; k < 25; k++) {
            List<byte[]> subset = new ArrayList<>();
            for (int i = 1 + rng.nextInt(6); i > 0; i--) {
                subset.add(pool.get(rng.nextInt(pool.size())));
            }
            List<byte[]> someSvs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                someSvs.add(svs.get(rng.nextInt(svs.size())));
            }
            assertSameMergeDiffSv(subset, someSvs, "seed " + seed + ", subset " + k);
        }
    }

    @Test
    void diffOfAStateAgainstEachEarlierStateVectorIsWhatEncodeStateAsUpdateSends() {
        Recorder a = new Recorder(11, true);
        a.run(insert(0, "abc"), insert(1, "de"), delete(0, 2), format(0, 2, Map.of("bold", true)));
        byte[] full = Updates.encodeStateAsUpdate(a.doc.doc);
        for (byte[] sv : a.svs) {
            byte[] diff = Updates.diffUpdate(full, sv);
            Bytes.assertSame(peer.diffUpdate(full, sv), diff, () -> "diff against " + Bytes.hex(sv));
        }
    }

    private static void assertSameMergeDiffSv(List<byte[]> updates, List<byte[]> svs, String why) {
        byte[] merged = Updates.mergeUpdates(updates);
        Bytes.assertSame(peer.mergeUpdates(updates), merged, () -> why + ": mergeUpdates");
        Bytes.assertSame(peer.encodeStateVectorFromUpdate(merged), Updates.encodeStateVectorFromUpdate(merged),
                () -> why + ": encodeStateVectorFromUpdate of the merge");
        for (int i = 0; i < updates.size(); i++) {
            byte[] u = updates.get(i);
            int n = i;
            Bytes.assertSame(peer.encodeStateVectorFromUpdate(u), Updates.encodeStateVectorFromUpdate(u),
                    () -> why + ": encodeStateVectorFromUpdate of update " + n);
        }
        for (byte[] sv : svs) {
            Bytes.assertSame(peer.diffUpdate(merged, sv), Updates.diffUpdate(merged, sv),
                    () -> why + ": diffUpdate of the merge against " + Bytes.hex(sv));
            if (!updates.isEmpty()) {
                byte[] first = updates.get(0);
                Bytes.assertSame(peer.diffUpdate(first, sv), Updates.diffUpdate(first, sv),
                        () -> why + ": diffUpdate of update 0 against " + Bytes.hex(sv));
            }
        }
    }

    /** A Quire replica that records its updates, its state vector before each edit and its state after each. */
    static final class Recorder {
        final InteropPeer.Quire doc;
        final List<byte[]> updates = new ArrayList<>();
        final List<byte[]> svs = new ArrayList<>();
        final List<byte[]> states = new ArrayList<>();

        Recorder(long clientId, boolean gc) {
            doc = InteropPeer.quire("rec" + clientId, clientId, gc);
        }

        void run(ObjectNode... steps) {
            for (ObjectNode s : steps) {
                run(s);
            }
        }

        List<byte[]> run(ObjectNode step) {
            svs.add(doc.encodeStateVector());
            List<byte[]> us = doc.run(step);
            updates.addAll(us);
            states.add(doc.encodeStateAsUpdate());
            return us;
        }

        List<byte[]> apply(byte[] update) {
            return doc.apply(update);
        }
    }
}
