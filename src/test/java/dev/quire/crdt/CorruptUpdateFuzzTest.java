package dev.quire.crdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.quire.trace.Trace;
import dev.quire.trace.TraceReplay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real updates with random damage (bit flips, overwritten, inserted and deleted bytes, truncation, spliced pieces of
 * other updates). Applying one either succeeds or throws {@link UpdateFormatException}, never anything else; when
 * it throws, the document is exactly as before and a later valid update still applies. State vectors, diffUpdate,
 * mergeUpdates and encodeStateVectorFromUpdate get the same treatment.
 *
 * <p>Inputs are updates of a generated multi-client history (text with formats and embeds, maps and arrays with
 * nested types) and, when {@code quire.traces} points at the shared traces, states of real editing traces. A
 * failure names its seed and case and gives a minimised input; {@code -Dquire.fuzz.seed=N} replays one seed and
 * {@code -Dquire.fuzz.long=true} runs many more.
 */
class CorruptUpdateFuzzTest {
    private static final boolean LONG = Boolean.getBoolean("quire.fuzz.long");
    private static final String SEED = System.getProperty("quire.fuzz.seed", "");
    private static final HexFormat HEX = HexFormat.of();
    private static final String TEXT = "content";
    private static final Object REMOTE = new Object();

    /** A valid update and the state of the document it is applied to. */
    record Sample(String name, byte[] base, byte[] update) {
    }

    private static List<Sample> samples;
    private static ExecutorService worker;

    @BeforeAll
    static void buildSamples() throws IOException {
        samples = new ArrayList<>(generatedSamples(new Random(7)));
        samples.addAll(traceSamples());
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "corrupt-update-fuzz");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stopWorker() {
        worker.shutdownNow();
    }

    static LongStream seeds() {
        return SEED.isEmpty() ? LongStream.rangeClosed(1, LONG ? 200 : 8) : LongStream.of(Long.parseLong(SEED));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void damagedUpdatesAreRejectedCleanlyOrApplied(long seed) {
        Random rng = new Random(seed);
        int cases = LONG ? 2000 : 400;
        for (int c = 0; c < cases; c++) {
            Sample s = samples.get(rng.nextInt(samples.size()));
            byte[] damaged = damage(rng, s.update(), s.base());
            String where = "seed " + seed + " (replay: -Dquire.fuzz.seed=" + seed + "), case " + c + ", sample "
                    + s.name();
            check(where, damaged, input -> applyToBase(s, input));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void damagedInputsToUpdateFunctionsThrowOnlyUpdateFormatException(long seed) {
        Random rng = new Random(seed);
        int cases = LONG ? 2000 : 400;
        for (int c = 0; c < cases; c++) {
            Sample s = samples.get(rng.nextInt(samples.size()));
            Sample other = samples.get(rng.nextInt(samples.size()));
            byte[] sv = Updates.encodeStateVectorFromUpdate(other.update());
            String where = "seed " + seed + " (replay: -Dquire.fuzz.seed=" + seed + "), case " + c + ", sample "
                    + s.name();
            byte[] damaged = damage(rng, s.update(), other.update());
            byte[] damagedSv = rng.nextInt(4) == 0 ? randomBytes(rng, rng.nextInt(12)) : damage(rng, sv, sv);
            switch (rng.nextInt(5)) {
                case 0 -> check(where + ", StateVector.decode", damagedSv, StateVector::decode);
                case 1 -> check(where + ", diffUpdate(damaged update, sv)", damaged, u -> Updates.diffUpdate(u, sv));
                case 2 -> check(where + ", diffUpdate(update, damaged sv)", damagedSv,
                        x -> Updates.diffUpdate(s.update(), x));
                case 3 -> check(where + ", mergeUpdates", damaged,
                        u -> Updates.mergeUpdates(List.of(other.update(), u)));
                default -> check(where + ", encodeStateVectorFromUpdate", damaged,
                        Updates::encodeStateVectorFromUpdate);
            }
        }
    }

    /**
     * Well-formed updates that say the wrong things: origins, right origins and parents pointing anywhere (into
     * other clients, map entries, GC'd content, the future), keys on list items, swapped content, moved clocks,
     * foreign client ids and extra delete ranges. These pass parsing, so they test integration.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void wellFormedUpdatesWithWrongReferencesAreRejectedCleanlyOrApplied(long seed) {
        Random rng = new Random(seed);
        int cases = LONG ? 2000 : 400;
        for (int c = 0; c < cases; c++) {
            Sample s = samples.get(rng.nextInt(samples.size()));
            byte[] lied = lie(rng, s.update(), s.base());
            String where = "seed " + seed + " (replay: -Dquire.fuzz.seed=" + seed + "), case " + c
                    + ", well-formed lie about sample " + s.name();
            check(where, lied, input -> applyToBase(s, input));
        }
    }

    /**
     * A delete range whose end lies beyond clock 2^31-1 (found by hand while checking range arithmetic): Quire's
     * clocks are ints, so such a range can't be applied as Yjs applies it (Yjs deletes "lo" here and keeps the rest
     * pending). It used to wrap around and silently delete nothing; now it is rejected like a struct past that clock.
     */
    @org.junit.jupiter.api.Test
    void deleteRangeEndingBeyondTheLargestClockIsRejected() {
        Doc doc = new Doc(1);
        doc.getText(TEXT).insert(0, "hello");
        byte[] before = Updates.encodeStateAsUpdate(doc);
        // no structs; delete set: 1 client, client 1, 1 range, clock 3, length 2^31-1
        byte[] update = HEX.parseHex("0001010103ffffffff07");
        UpdateFormatException e = org.junit.jupiter.api.Assertions.assertThrows(UpdateFormatException.class,
                () -> Updates.applyUpdate(doc, update));
        assertEquals(5, e.offset(), "the offset of the range's length");
        assertArrayEquals(before, Updates.encodeStateAsUpdate(doc));
        assertEquals("hello", doc.getText(TEXT).toString());
        org.junit.jupiter.api.Assertions.assertThrows(UpdateFormatException.class,
                () -> Updates.mergeUpdates(List.of(update, before)));
    }

    /**
     * Applies {@code input} to a document holding the sample's base state. On {@link UpdateFormatException} the
     * document must be unchanged; either way the valid update must still apply afterwards.
     */
    private static void applyToBase(Sample s, byte[] input) {
        Doc doc = new Doc(999_999);
        if (s.base().length > 0) {
            Updates.applyUpdate(doc, s.base());
        }
        YText text = doc.getText(TEXT);
        byte[] before = Updates.encodeStateAsUpdate(doc);
        String textBefore = text.toString();
        boolean pendingBefore = doc.hasPending();
        try {
            Updates.applyUpdate(doc, input);
        } catch (UpdateFormatException e) {
            assertArrayEquals(before, Updates.encodeStateAsUpdate(doc), "a rejected update changed the document");
            assertEquals(textBefore, text.toString(), "a rejected update changed the text");
            assertEquals(pendingBefore, doc.hasPending(), "a rejected update changed what is pending");
            Updates.applyUpdate(doc, s.update());
            Doc reference = new Doc(999_999);
            if (s.base().length > 0) {
                Updates.applyUpdate(reference, s.base());
            }
            Updates.applyUpdate(reference, s.update());
            assertEquals(reference.getText(TEXT).toString(), text.toString(),
                    "after a rejected update, the valid update gives another text than on an untouched document");
            throw e;
        }
        // accepted (perhaps as different content): the document must still take the valid update and encode
        Updates.applyUpdate(doc, s.update());
        Updates.encodeStateAsUpdate(doc);
        text.toString();
    }

    /** Runs {@code f} on the input; anything but success or UpdateFormatException fails with a minimised input. */
    private static void check(String where, byte[] input, Consumer<byte[]> f) {
        Throwable t = outcome(input, f);
        if (t == null || t instanceof UpdateFormatException) {
            return;
        }
        byte[] small = minimise(input, f, t.getClass());
        AssertionError e = new AssertionError(where + ": " + t + "\n  input (" + input.length + " bytes): "
                + hex(input) + "\n  minimised (" + small.length + " bytes, same exception type): " + hex(small)
                + "\n  minimised gives: " + outcome(small, f), t);
        throw e;
    }

    /** What {@code f} throws for this input (null if nothing), run on a worker so that a hang becomes a failure. */
    private static Throwable outcome(byte[] input, Consumer<byte[]> f) {
        Future<?> job = worker.submit(() -> f.accept(input));
        try {
            job.get(20, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            job.cancel(true);
            fail("no result after 20 s (endless loop?) for input " + hex(input));
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Greedy delta debugging: drop chunks, then single bytes, as long as the same exception type comes out. */
    private static byte[] minimise(byte[] input, Consumer<byte[]> f, Class<?> failure) {
        byte[] best = input;
        for (int chunk = Math.max(1, best.length / 2); chunk >= 1; chunk /= 2) {
            boolean progress = true;
            while (progress) {
                progress = false;
                for (int at = 0; at + chunk <= best.length; at += chunk) {
                    byte[] candidate = new byte[best.length - chunk];
                    System.arraycopy(best, 0, candidate, 0, at);
                    System.arraycopy(best, at + chunk, candidate, at, best.length - at - chunk);
                    Throwable t = outcome(candidate, f);
                    if (t != null && t.getClass() == failure) {
                        best = candidate;
                        progress = true;
                        break;
                    }
                }
            }
        }
        return best;
    }

    // ---- damage ----

    /** One to three random mutations; {@code donor} provides spliced-in pieces. */
    static byte[] damage(Random rng, byte[] original, byte[] donor) {
        byte[] b = original.clone();
        for (int m = 1 + rng.nextInt(3); m > 0; m--) {
            if (b.length == 0) {
                b = randomBytes(rng, 1 + rng.nextInt(8));
                continue;
            }
            int at = rng.nextInt(b.length);
            switch (rng.nextInt(8)) {
                case 0 -> b[at] ^= (byte) (1 << rng.nextInt(8));                      // bit flip
                case 1 -> b[at] = (byte) rng.nextInt(256);                            // random byte
                case 2 -> b[at] = (byte) new int[] {0, 1, 0x7F, 0x80, 0xFF}[rng.nextInt(5)]; // varint edges
                case 3 -> b = splice(b, at, rng.nextInt(Math.min(4, b.length - at) + 1), randomBytes(rng, 1 + rng.nextInt(4)));
                case 4 -> b = splice(b, at, 1 + rng.nextInt(Math.min(8, b.length - at)), new byte[0]); // delete
                case 5 -> b = Arrays.copyOf(b, at);                                   // truncate
                case 6 -> {                                                           // piece of another update
                    if (donor.length > 0) {
                        int from = rng.nextInt(donor.length);
                        byte[] piece = Arrays.copyOfRange(donor, from, Math.min(donor.length, from + 1 + rng.nextInt(16)));
                        b = splice(b, at, rng.nextInt(Math.min(4, b.length - at) + 1), piece);
                    }
                }
                default -> {                                                          // duplicate a range
                    int len = 1 + rng.nextInt(Math.min(16, b.length - at));
                    b = splice(b, at, 0, Arrays.copyOfRange(b, at, at + len));
                }
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    private static byte[] randomBytes(Random rng, int n) {
        byte[] b = new byte[n];
        rng.nextBytes(b);
        return b;
    }

    private static String hex(byte[] b) {
        return b.length <= 400 ? HEX.formatHex(b) : HEX.formatHex(b, 0, 400) + "...";
    }

    /** An update decoded into its parts, to be changed and encoded again. */
    private record Parts(List<Long> clients, List<Integer> clocks, List<List<AbstractStruct>> structs, DeleteSet ds) {
        static Parts decode(byte[] update) {
            UpdateDecoder d = new UpdateDecoder(new dev.quire.crdt.encoding.Decoder(update));
            Parts p = new Parts(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), null);
            int n = d.rest().readVarUintAsInt("clients");
            for (int i = 0; i < n; i++) {
                int count = d.rest().readVarUintAsInt("structs");
                long client = d.readClient();
                int clock = d.rest().readVarUintAsInt("clock");
                List<AbstractStruct> list = new ArrayList<>();
                StructReader r = StructReader.single(d, client, clock, count);
                for (AbstractStruct x = r.curr; x != null; x = r.next()) {
                    list.add(x);
                }
                p.clients.add(client);
                p.clocks.add(clock);
                p.structs.add(list);
            }
            return new Parts(p.clients, p.clocks, p.structs, DeleteSet.read(d));
        }

        byte[] encode() {
            UpdateEncoder e = new UpdateEncoder();
            e.rest().writeVarUint(clients.size());
            for (int i = 0; i < clients.size(); i++) {
                e.rest().writeVarUint(structs.get(i).size());
                e.writeClient(clients.get(i));
                e.rest().writeVarUint(clocks.get(i));
                for (AbstractStruct x : structs.get(i)) {
                    x.write(e, 0);
                }
            }
            ds.write(e);
            return e.toByteArray();
        }

        List<Item> items() {
            List<Item> out = new ArrayList<>();
            structs.forEach(l -> l.forEach(x -> {
                if (x instanceof Item i) {
                    out.add(i);
                }
            }));
            return out;
        }
    }

    /** One to three lies told in well-formed v1: references, keys, content, clocks, clients, deletes. */
    static byte[] lie(Random rng, byte[] update, byte[] base) {
        Parts p = Parts.decode(update);
        List<Item> items = p.items();
        if (items.isEmpty()) {
            return update;
        }
        // ids to point at: this update's and the base document's structs, and now and then a made-up one
        List<ID> targets = new ArrayList<>();
        for (byte[] u : List.of(update, base)) {
            if (u.length > 0) {
                Parts.decode(u).structs().forEach(l -> l.forEach(x -> {
                    targets.add(x.id);
                    targets.add(new ID(x.id.client(), x.id.clock() + x.length - 1));
                }));
            }
        }
        for (int m = 1 + rng.nextInt(3); m > 0; m--) {
            Item item = items.get(rng.nextInt(items.size()));
            int g = rng.nextInt(p.clients().size());
            switch (rng.nextInt(10)) {
                case 0 -> item.origin = target(rng, targets);
                case 1 -> item.rightOrigin = target(rng, targets);
                case 2 -> {
                    item.origin = null;
                    item.rightOrigin = null;
                    item.parent = new String[] {TEXT, "m", "arr", "other"}[rng.nextInt(4)];
                    item.parentSub = rng.nextBoolean() ? null : "k" + rng.nextInt(3);
                }
                case 3 -> {
                    item.origin = null;
                    item.rightOrigin = null;
                    item.parent = target(rng, targets);
                    item.parentSub = rng.nextBoolean() ? null : "k" + rng.nextInt(3);
                }
                case 4 -> item.content = items.get(rng.nextInt(items.size())).content.copy();
                case 5 -> p.ds().add(rng.nextBoolean() ? p.clients().get(g) : 999_999L, rng.nextInt(400),
                        1 + rng.nextInt(rng.nextBoolean() ? 5 : 1000));
                case 6 -> p.clients().set(g, targets.get(rng.nextInt(targets.size())).client());
                case 7 -> p.clocks().set(g, Math.max(0, p.clocks().get(g) + rng.nextInt(21) - 10));
                case 8 -> {
                    // a whole client moves to the end of the list or drops out: dependencies go missing
                    List<AbstractStruct> list = p.structs().get(g);
                    if (list.size() > 1) {
                        list.remove(rng.nextInt(list.size()));
                    }
                }
                default -> item.parentSub = rng.nextBoolean() ? null : "k" + rng.nextInt(3);
            }
            if (item.origin == null && item.rightOrigin == null && item.parent == null) {
                item.parent = TEXT;
            }
        }
        return p.encode();
    }

    private static ID target(Random rng, List<ID> targets) {
        int r = rng.nextInt(12);
        if (r == 0) {
            return null;
        }
        ID t = targets.get(rng.nextInt(targets.size()));
        return r == 1 ? new ID(t.client(), t.clock() + 1 + rng.nextInt(50)) : t;
    }

    // ---- valid inputs ----

    /**
     * Three clients editing text (formats, embeds, emoji), a map and an array (with nested types and binary), with
     * updates exchanged late and out of order; samples pair a replica's earlier state with later updates.
     */
    static List<Sample> generatedSamples(Random rng) {
        List<Doc> docs = List.of(new Doc(1), new Doc(2), new Doc(3_000_000_000L, false));
        List<List<byte[]>> logs = new ArrayList<>();
        for (Doc d : docs) {
            List<byte[]> log = new ArrayList<>();
            d.onUpdate((u, origin, txn) -> {
                if (origin != REMOTE) {
                    log.add(u);
                }
            });
            logs.add(log);
        }
        List<Sample> out = new ArrayList<>();
        byte[][] midStates = new byte[docs.size()][];
        String[] strings = {"a", "hello ", "😀", "世界", "e\u0301", "\n", "xyz"};
        for (int op = 0; op < 240; op++) {
            int p = rng.nextInt(docs.size());
            Doc d = docs.get(p);
            YText text = d.getText(TEXT);
            YMap map = d.getMap("m");
            YArray arr = d.getArray("arr");
            int len = text.length();
            switch (rng.nextInt(10)) {
                case 0, 1, 2 -> text.insert(safeIndex(text, rng.nextInt(len + 1)), strings[rng.nextInt(strings.length)]);
                case 3 -> {
                    if (len > 0) {
                        int i = safeIndex(text, rng.nextInt(len));
                        text.delete(i, safeIndex(text, Math.min(len, i + 1 + rng.nextInt(4))) - i);
                    }
                }
                case 4 -> {
                    if (len > 0) {
                        int i = safeIndex(text, rng.nextInt(len));
                        Map<String, Object> attrs = new LinkedHashMap<>();
                        attrs.put(rng.nextBoolean() ? "bold" : "link", rng.nextBoolean() ? null : Map.of("href", "x"));
                        text.format(i, safeIndex(text, Math.min(len, i + 1 + rng.nextInt(6))) - i, attrs);
                    }
                }
                case 5 -> text.insertEmbed(safeIndex(text, rng.nextInt(len + 1)), Map.of("image", "i.png"),
                        rng.nextBoolean() ? null : Map.of("width", 10L));
                case 6 -> {
                    if (rng.nextBoolean()) {
                        map.set("k" + rng.nextInt(4), List.of(1L, -2.5, "s", Map.of("n", 2147483648L)));
                    } else {
                        YMap child = new YMap();
                        map.set("child" + rng.nextInt(2), child);
                        child.set("x", new byte[] {1, 2, 3});
                    }
                }
                case 7 -> map.delete("k" + rng.nextInt(4));
                case 8 -> {
                    if (rng.nextBoolean() || arr.length() == 0) {
                        arr.insert(rng.nextInt(arr.length() + 1), rng.nextBoolean() ? List.of(1L, "two", true)
                                : List.of(new YArray(), new byte[] {9}));
                    } else {
                        int i = rng.nextInt(arr.length());
                        arr.delete(i, 1);
                    }
                }
                default -> {
                    // deliver a random update of another replica (out of order is fine: it waits as pending)
                    int from = rng.nextInt(docs.size());
                    List<byte[]> log = logs.get(from);
                    if (from != p && !log.isEmpty()) {
                        Updates.applyUpdate(d, log.get(rng.nextInt(log.size())), REMOTE);
                    }
                }
            }
            if (op == 120) {
                for (int i = 0; i < docs.size(); i++) {
                    midStates[i] = Updates.encodeStateAsUpdate(docs.get(i));
                }
            }
        }
        byte[] empty = new byte[0];
        for (int i = 0; i < docs.size(); i++) {
            Doc d = docs.get(i);
            byte[] full = Updates.encodeStateAsUpdate(d);
            List<byte[]> log = logs.get(i);
            out.add(new Sample("full state of replica " + i, empty, full));
            for (int j = 0; j < docs.size(); j++) {
                out.add(new Sample("state of replica " + i + " onto the mid state of replica " + j, midStates[j], full));
                out.add(new Sample("diff of replica " + i + " against replica " + j, midStates[j],
                        Updates.encodeStateAsUpdate(d, Updates.encodeStateVector(docs.get(j)))));
            }
            for (int k = 0; k < log.size(); k += 7) {
                out.add(new Sample("update " + k + " of replica " + i, midStates[(i + 1) % docs.size()], log.get(k)));
            }
            out.add(new Sample("merged updates of replica " + i, empty,
                    Updates.mergeUpdates(log.subList(log.size() / 2, log.size()))));
        }
        return out;
    }

    /** An index moved off the middle of a surrogate pair. */
    private static int safeIndex(YText text, int i) {
        String s = text.toString();
        // toString has no embeds; close enough for choosing positions: only avoid splitting pairs in plain text
        if (i > 0 && i < s.length() && Character.isLowSurrogate(s.charAt(i)) && Character.isHighSurrogate(s.charAt(i - 1))) {
            return i - 1;
        }
        return i;
    }

    /** States of the first transactions of a sequential and a concurrent editing trace, if the traces are there. */
    static List<Sample> traceSamples() throws IOException {
        String dir = System.getProperty("quire.traces");
        List<Sample> out = new ArrayList<>();
        if (dir == null) {
            return out;
        }
        for (String name : List.of("sequential/sveltecomponent.json.gz", "concurrent/friendsforever.json.gz")) {
            Path file = Path.of(dir, name);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            Trace trace = Trace.read(file);
            Doc early = TraceReplay.replay(prefix(trace, 400));
            Doc later = TraceReplay.replay(prefix(trace, 800));
            byte[] earlyState = Updates.encodeStateAsUpdate(early);
            out.add(new Sample(name + " state after 800 txns", new byte[0], Updates.encodeStateAsUpdate(later)));
            out.add(new Sample(name + " txns 400-800 onto the state after 400", earlyState,
                    Updates.encodeStateAsUpdate(later, Updates.encodeStateVector(early))));
        }
        return out;
    }

    private static Trace prefix(Trace t, int txns) {
        return new Trace(t.name(), t.concurrent(), t.endContent(), t.numAgents(),
                t.txns().subList(0, Math.min(txns, t.txns().size())));
    }
}
