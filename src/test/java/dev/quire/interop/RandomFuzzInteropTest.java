package dev.quire.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random fuzzing against real Yjs, in the style of Yjs's own tests (tests/testHelper.js applyRandomTests):
 * several replicas edit text (with formats and embeds), a map and an array, while messages are delivered in random
 * order, sometimes twice, with random sync points at which everybody must agree.
 *
 * <p>A short run by default; {@code -Dquire.fuzz.long=true} runs many more seeds and operations. A failure names its
 * seed; {@code -Dquire.fuzz.seed=N} replays just that seed (with the same length setting).
 */
class RandomFuzzInteropTest {
    private static final boolean LONG = Boolean.getBoolean("quire.fuzz.long");
    private static final String SEED = System.getProperty("quire.fuzz.seed", "");
    private static YjsPeer peer;

    @BeforeAll
    static void startPeer() {
        peer = YjsPeer.shared();
    }

    static LongStream lockstepSeeds() {
        return seeds(LONG ? 300 : 20);
    }

    static LongStream yjsScriptSeeds() {
        return seeds(LONG ? 150 : 8);
    }

    private static LongStream seeds(int count) {
        return SEED.isEmpty() ? LongStream.rangeClosed(1, count) : LongStream.of(Long.parseLong(SEED));
    }

    /**
     * Every replica is a {@link Twin}: a Quire doc and a Yjs doc with the same client id that get the same edits and
     * the same messages, so every update and every encoded state is compared byte for byte, and at each sync point
     * all replicas must show the same content.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("lockstepSeeds")
    void quireAndYjsTwinsStayByteIdenticalUnderRandomEditsAndDelivery(long seed) {
        String replay = "seed " + seed + " (replay: -Dquire.fuzz.seed=" + seed + (LONG ? " -Dquire.fuzz.long=true" : "")
                + ")";
        Random rng = new Random(seed);
        int ops = LONG ? 400 : 150;
        int n = 3 + rng.nextInt(3);
        boolean gc = rng.nextInt(4) != 0;
        List<Twin> twins = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                twins.add(new Twin(peer, "fz" + i, rng.nextLong() >>> 32, gc));
            }
            int[] op = {0};
            Supplier<String> where = () -> replay + ", op " + op[0];
            Network net = new Network(n, rng, 10, (to, u) -> twins.get(to).apply(u, where));
            RandomSteps steps = new RandomSteps(rng, rng.nextBoolean(), rng.nextBoolean());
            for (; op[0] < ops; op[0]++) {
                if (rng.nextInt(100) < 3) {
                    net.flush();
                    assertConverged(twins, where);
                } else if (rng.nextBoolean()) {
                    net.deliverOne();
                }
                int p = rng.nextInt(n);
                Twin twin = twins.get(p);
                InteropPeer.DocState state = twin.quire.state();
                net.send(p, twin.run(steps.next(state.units(), state.arrayLength()), where));
            }
            net.flush();
            assertConverged(twins, () -> replay + ", at the end");
        } catch (RuntimeException e) {
            // assertion messages name the seed already; an exception from either side gets it here
            throw new AssertionError(replay + ": " + e, e);
        } finally {
            twins.forEach(t -> peer.free(t.label()));
        }
    }

    private static void assertConverged(List<Twin> twins, Supplier<String> where) {
        InteropPeer.DocState expected = twins.get(0).quire.state();
        for (Twin t : twins) {
            assertFalse(t.quire.hasPending(), () -> where.get() + ": " + t.label() + " has pending updates");
            t.assertSameState(where);
            assertEquals(expected, t.quire.state(), () -> where.get() + ": " + t.label() + " differs from "
                    + twins.get(0).label());
        }
    }

    /**
     * Scripts generated and recorded by Yjs itself (src/test/js/random-edits.mjs), replayed with replicas 0 and 2
     * in Quire and replica 1 in Yjs: each update Quire emits equals the one Yjs recorded, the Yjs replica accepts
     * Quire's bytes, and at every check all replicas show Yjs's recorded state.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("yjsScriptSeeds")
    void yjsRecordedScriptsReplayOnMixedReplicas(long seed) throws IOException, InterruptedException {
        String replay = "random-edits.mjs seed " + seed + " (replay: -Dquire.fuzz.seed=" + seed
                + (LONG ? " -Dquire.fuzz.long=true" : "") + ")";
        JsonNode g = generate(seed, LONG ? 400 : 200, seed % 2 == 0);
        int peers = g.get("peers").asInt();
        List<InteropPeer> replicas = new ArrayList<>();
        try {
            for (int p = 0; p < peers; p++) {
                long client = g.get("clientIds").get(p).asLong();
                boolean gc = g.get("gc").asBoolean();
                replicas.add(p % 2 == 0 ? InteropPeer.quire("rq" + p, client, gc)
                        : InteropPeer.yjs(peer, "ry" + p, client, gc));
            }
            Map<String, byte[]> outbox = new HashMap<>(); // "peer/msg" -> bytes this replay produced
            JsonNode schedule = g.get("schedule");
            for (int i = 0; i < schedule.size(); i++) {
                JsonNode e = schedule.get(i);
                String at = replay + ", schedule entry " + i + " " + e;
                switch (e.get("t").asText()) {
                    case "edit" -> {
                        int p = e.get("peer").asInt();
                        JsonNode step = g.get("scripts").get(p).get(e.get("step").asInt());
                        List<byte[]> us = replicas.get(p).run(step);
                        List<byte[]> expected = e.get("msg").isNull() ? List.of()
                                : List.of(recorded(g, p, e.get("msg").asInt()));
                        Bytes.assertSame(expected, us, () -> at + " on " + replicas.get(p));
                        if (!us.isEmpty()) {
                            outbox.put(p + "/" + e.get("msg").asInt(), us.get(0));
                        }
                    }
                    case "deliver" -> {
                        int from = e.get("from").asInt();
                        int to = e.get("to").asInt();
                        List<byte[]> emitted = replicas.get(to).apply(outbox.get(from + "/" + e.get("msg").asInt()));
                        List<byte[]> expected = new ArrayList<>();
                        e.path("emits").forEach(k -> expected.add(recorded(g, to, k.asInt())));
                        Bytes.assertSame(expected, emitted, () -> at + " on " + replicas.get(to)
                                + " (format cleanup after a remote change)");
                        for (int k = 0; k < emitted.size(); k++) {
                            outbox.put(to + "/" + e.get("emits").get(k).asInt(), emitted.get(k));
                        }
                    }
                    case "check" -> {
                        JsonNode st = e.get("state");
                        InteropPeer.DocState expected = new InteropPeer.DocState(st.get("text").asText(),
                                Wire.normalize(st.get("delta")), Wire.normalize(st.get("map")),
                                Wire.normalize(st.get("array")));
                        for (InteropPeer r : replicas) {
                            assertEquals(expected, r.state(), () -> at + ": " + r);
                        }
                        if (e.path("final").asBoolean()) {
                            // replica 0 (Quire) has exactly the history of Yjs's replica 0
                            Bytes.assertSame(YjsPeer.bytes(e.get("update")), replicas.get(0).encodeStateAsUpdate(),
                                    () -> at + ": encodeStateAsUpdate of " + replicas.get(0));
                            for (InteropPeer r : replicas) {
                                Bytes.assertSame(YjsPeer.bytes(e.get("sv")), r.encodeStateVector(),
                                        () -> at + ": state vector of " + r);
                            }
                        }
                    }
                    default -> throw new IllegalStateException("unknown schedule entry " + e);
                }
            }
        } catch (RuntimeException e) {
            // assertion messages name the seed already; an exception from either side gets it here
            throw new AssertionError(replay + ": " + e, e);
        } finally {
            replicas.stream().filter(r -> r instanceof InteropPeer.Yjs).forEach(r -> peer.free(r.label()));
        }
    }

    private static byte[] recorded(JsonNode g, int peer, int msg) {
        return YjsPeer.bytes(g.get("updates").get(peer).get(msg));
    }

    /** Runs random-edits.mjs once; its output is one JSON document. */
    private static JsonNode generate(long seed, int ops, boolean rich) throws IOException, InterruptedException {
        YjsPeer.requireYjsInstalled();
        List<String> cmd = new ArrayList<>(List.of("node", YjsPeer.JS_DIR.resolve("random-edits.mjs").toString(),
                "--seed", Long.toString(seed), "--peers", "3", "--ops", Integer.toString(ops)));
        if (rich) {
            cmd.add("--rich");
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        JsonNode g = YjsPeer.JSON.readTree(p.getInputStream());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
        return g;
    }
}
