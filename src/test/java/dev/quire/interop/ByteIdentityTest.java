package dev.quire.interop;

import static dev.quire.interop.Steps.arrayDelete;
import static dev.quire.interop.Steps.arrayInsert;
import static dev.quire.interop.Steps.arrayPush;
import static dev.quire.interop.Steps.delete;
import static dev.quire.interop.Steps.embed;
import static dev.quire.interop.Steps.format;
import static dev.quire.interop.Steps.insert;
import static dev.quire.interop.Steps.mapDelete;
import static dev.quire.interop.Steps.mapSet;
import static dev.quire.interop.Steps.transact;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quire.crdt.Updates;
import dev.quire.crdt.encoding.Any;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same edit script, run in Yjs 13.6.33 and in Quire with the same client id, gives byte-identical updates per
 * transaction, the same encodeStateAsUpdate (whole and relative to an earlier state vector) and the same state
 * vector. Byte identity is the strongest check of the port: struct boundaries, origins, merges, GC and the value
 * encodings all show in the bytes.
 */
class ByteIdentityTest {
    private static final long CLIENT = 2_845_109_373L; // above 2^31: exercises unsigned varints
    private static YjsPeer peer;

    @BeforeAll
    static void startPeer() {
        peer = YjsPeer.shared();
    }

    /** A named edit script; each top-level step is one transaction. */
    record Script(String name, boolean gc, List<ObjectNode> steps) {
        Script(String name, ObjectNode... steps) {
            this(name, true, List.of(steps));
        }

        Script withoutGc() {
            return new Script(name + " (gc off)", false, steps);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Script> scripts() {
        Script deletes = new Script("deletes: backspace, ranges across items, everything, retype",
                insert(0, "Hello brave new world"),
                insert(21, "!"),
                delete(21, 1),
                delete(20, 1),
                delete(19, 1),
                insert(6, "big "),
                delete(4, 8),
                delete(0, 1),
                delete(0, 13),
                insert(0, "again"),
                delete(2, 1),
                insert(2, "a"));
        return Stream.of(
                new Script("plain typing, one character per transaction", typing("Hello, world!")),
                new Script("typing with cursor jumps",
                        insert(0, "world"), insert(0, "Hello "), insert(11, "!"), insert(5, ","),
                        insert(6, "dear "), insert(0, ">"), insert(18, " again")),
                deletes,
                deletes.withoutGc(),
                new Script("emoji, CJK and combining marks at UTF-16 indexes",
                        insert(0, "😀👍🏽世界"),
                        insert(2, "e\u0301"),           // between two emoji
                        insert(10, "本語"),              // after the CJK run
                        insert(9, "日"),                 // splits the CJK run
                        delete(0, 2),                    // a whole emoji (two UTF-16 units)
                        delete(1, 1),                    // only the combining mark
                        insert(1, "\u0308"),             // another combining mark on the same base
                        insert(0, "👩‍💻"),
                        delete(2, 3),                    // part of the ZWJ sequence: ZWJ + laptop
                        insert(0, "𝄞𠜎"),
                        delete(2, 2)),
                new Script("insert and delete inside a surrogate pair (Yjs writes U+FFFD halves)",
                        insert(0, "a😀b🎉c"),
                        insert(2, "X"),                  // between the halves of 😀
                        delete(6, 1),                    // the low half of 🎉
                        insert(0, "🚀"),
                        delete(1, 1)),                   // the low half of 🚀 at the start
                new Script("formats: bold, italic, link objects, null removes, overlapping ranges",
                        insert(0, "The quick brown fox jumps over the lazy dog"),
                        format(4, 11, Map.of("bold", true)),
                        format(10, 10, Map.of("italic", true)),
                        format(0, 9, ordered("link", ordered("href", "https://quire.dev/a", "target", "_blank"))),
                        format(12, 3, map("bold", null)),
                        format(0, 43, map("italic", null)),
                        format(16, 3, ordered("bold", true, "color", "#ff0000")),
                        format(16, 3, ordered("bold", true, "color", "#ff0000")), // no change: no update
                        format(2, 20, ordered("size", 12, "font", "serif")),
                        format(0, 43, map("link", null)),
                        delete(10, 8),
                        format(3, 4, Map.of("code", true))),
                new Script("insert with attributes inside and around formatted text",
                        insert(0, "bold", Map.of("bold", true)),
                        insert(4, " plain", Map.of()),
                        insert(2, "XX", Map.of("bold", true)),
                        insert(3, "-", Map.of()),
                        insert(0, "I", ordered("italic", true, "bold", true)),
                        insert(14, "!", Map.of("link", "https://quire.dev")),
                        insert(8, "y"),                  // takes the attributes of the text before it
                        insert(6, "z", map("bold", null))),
                new Script("embeds with and without attributes, then formatted and deleted",
                        insert(0, "before after"),
                        embed(7, ordered("image", "cat.png", "alt", "a cat")),
                        embed(0, Map.of("formula", "e=mc^2"), Map.of("width", 300)),
                        embed(14, Map.of("video", List.of("a.mp4", "b.webm"))),
                        format(0, 10, Map.of("bold", true)),
                        delete(7, 2),
                        insert(7, "text")),
                new Script("map: set, overwrite, delete and set again, nested JSON values",
                        mapSet("title", "Quire"),
                        mapSet("title", "Quire 2"),
                        mapSet("draft", true),
                        mapDelete("draft"),
                        mapSet("draft", false),
                        mapSet("meta", ordered("tags", List.of("a", "b"), "owner", ordered("id", 7L, "name", "Ada"),
                                "none", null)),
                        mapSet("ключ", "значение"),
                        mapSet("鍵", List.of(List.of(), Map.of(), "")),
                        mapSet("bytes", new byte[] {0, 1, 2, (byte) 255}),
                        mapSet("bytes", new byte[0]),
                        mapDelete("missing"),
                        mapDelete("title")),
                new Script("map: numbers int, float, negative, int31 edges, large, float32-exact",
                        mapSet("zero", 0L), mapSet("one", 1L), mapSet("neg", -1L),
                        mapSet("int31max", 2147483647L), mapSet("int31min", -2147483647L),
                        mapSet("int31over", 2147483648L), mapSet("int32min", -2147483648L),
                        mapSet("pow40", 1099511627776L), mapSet("pow40plus1", 1099511627777L),
                        mapSet("maxSafe", 9007199254740991L), mapSet("negMaxSafe", -9007199254740991L),
                        mapSet("half", 0.5), mapSet("negFloat", -2.25), mapSet("tenth", 0.1),
                        mapSet("third", 1.0 / 3), mapSet("huge", 1e300), mapSet("tiny", 5e-324),
                        mapSet("twoPointZero", 2.0), mapSet("pi", Math.PI),
                        mapSet("nested", List.of(1L, -1.5, 2147483648L, ordered("x", 1e21))),
                        mapSet("bigint", BigInteger.valueOf(-1234567890123L)),
                        mapSet("undefined", Any.UNDEFINED)),
                new Script("map: nested shared types (Y.Map, Y.Array, Y.Text)",
                        mapSet("child", Wire.ymap(ordered("x", 1L, "y", "why"))),
                        mapSet("list", Wire.yarray(List.of(1L, "two", Wire.ymap(Map.of("deep", true)), 4L))),
                        mapSet("note", Wire.ytext("nested text")),
                        mapSet("child", "replaced by a plain value")),
                new Script("array: insert, insert at the end, delete ranges",
                        arrayInsert(0, List.of(1L, 2L, 3L)),
                        arrayInsert(3, List.of("end")),
                        arrayInsert(1, List.of("a", ordered("k", "v"), List.of(1L, 2L))),
                        arrayDelete(0, 2),
                        arrayInsert(0, List.of(new byte[] {9, 8}, 1.5, true)),
                        arrayInsert(4, List.of(Wire.yarray(List.of("x")), "after")),
                        arrayDelete(2, 4),
                        arrayDelete(3, 1),
                        arrayInsert(3, List.of(-7L))),
                new Script("text, map and array changed in one transaction",
                        insert(0, "start"),
                        transact(insert(5, " middle"), mapSet("k", 1L), arrayInsert(0, List.of("a", "b")),
                                format(0, 5, Map.of("bold", true)), delete(2, 4), mapSet("k", 2L),
                                arrayDelete(0, 1), embed(3, Map.of("image", "x.png")), mapDelete("k")),
                        transact(insert(0, "x"), delete(0, 1))), // a transaction that leaves no trace in the text
                new Script("many edits of one text in one transaction, then undoing them by hand",
                        transact(insert(0, "abc"), insert(1, "123"), delete(2, 2), insert(4, "😀"),
                                format(0, 3, Map.of("italic", true)), insert(0, "z", Map.of("bold", true))),
                        transact(delete(0, 3), format(0, 4, map("italic", null)), insert(2, "é"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void sameScriptGivesSameBytes(Script script) {
        String name = "bi-" + Math.abs(script.name().hashCode());
        Twin twin = new Twin(peer, name, CLIENT, script.gc());
        List<byte[]> svs = new ArrayList<>();
        for (int i = 0; i < script.steps().size(); i++) {
            int n = i;
            svs.add(twin.quire.encodeStateVector());
            twin.run(script.steps().get(i), () -> script.name() + ", step " + n);
        }
        twin.assertSameState(script::name);
        // the state relative to every earlier state vector, as a sync step 2 would send it
        for (int i = 0; i < svs.size(); i++) {
            byte[] sv = svs.get(i);
            int n = i;
            Bytes.assertSame(peer.encodeStateAsUpdate(name, sv), Updates.encodeStateAsUpdate(twin.quire.doc, sv),
                    () -> script.name() + ": encodeStateAsUpdate relative to the state vector before step " + n);
        }
        peer.free(name);
    }

    @Test
    void pushAppendsAfterTheDeletedTailLikeYjs() {
        List<ObjectNode> steps = List.of(
                arrayInsert(0, List.of(1L, 2L, 3L)),
                arrayDelete(1, 2),                       // the tail is deleted: push and insert(length) now differ
                arrayPush(List.of(4L)),
                arrayInsert(2, List.of(5L)),
                arrayDelete(1, 2),
                arrayPush(List.of("six", ordered("seven", 7L))),
                transact(arrayPush(List.of(8L)), arrayDelete(0, 1), arrayPush(List.of(new byte[] {9}))),
                arrayPush(List.of()));
        InteropPeer.Quire quire = InteropPeer.quire("push", CLIENT, true);
        List<byte[]> updates = new ArrayList<>();
        steps.forEach(s -> updates.addAll(quire.run(s)));
        YjsPeer.ScriptRun yjs = YjsPeer.runSteps(CLIENT, true, steps);
        Bytes.assertSame(yjs.updates(), updates, () -> "updates of the push script");
        Bytes.assertSame(yjs.update(), quire.encodeStateAsUpdate(), () -> "encodeStateAsUpdate after the pushes");
        Bytes.assertSame(yjs.sv(), quire.encodeStateVector(), () -> "encodeStateVector after the pushes");
    }

    @Test
    void twoClientsExchangingUpdatesStayByteIdentical() {
        Twin alice = new Twin(peer, "alice", 1, true);
        Twin bob = new Twin(peer, "bob", 2, true);
        List<byte[]> toBob = new ArrayList<>();
        List<byte[]> toAlice = new ArrayList<>();
        toBob.addAll(alice.run(insert(0, "Hello world"), () -> "alice types"));
        toBob.addAll(alice.run(format(0, 5, Map.of("bold", true)), () -> "alice formats"));
        toBob.forEach(u -> toAlice.addAll(bob.apply(u, () -> "bob receives")));
        toBob.clear();
        // concurrent: both edit the same region before seeing each other's change
        toBob.addAll(alice.run(insert(5, ","), () -> "alice inserts"));
        toBob.addAll(alice.run(format(3, 5, Map.of("italic", true)), () -> "alice formats"));
        toAlice.addAll(bob.run(insert(5, "!"), () -> "bob inserts at the same place"));
        toAlice.addAll(bob.run(format(0, 11, map("bold", null)), () -> "bob unbolds all"));
        toAlice.addAll(bob.run(delete(6, 3), () -> "bob deletes"));
        toAlice.addAll(bob.run(mapSet("owner", "bob"), () -> "bob sets owner"));
        toBob.addAll(alice.run(mapSet("owner", "alice"), () -> "alice sets owner"));
        toBob.addAll(alice.run(arrayInsert(0, List.of("a1")), () -> "alice appends"));
        toAlice.addAll(bob.run(arrayInsert(0, List.of("b1")), () -> "bob appends"));
        exchange(alice, toAlice, bob, toBob);
        assertEquals(alice.quire.state(), bob.yjs.state(), "alice and bob converge");
        alice.assertSameState(() -> "alice after the exchange");
        bob.assertSameState(() -> "bob after the exchange");
        // more concurrent edits on top of the merged state
        toBob.addAll(alice.run(delete(0, 2), () -> "alice deletes"));
        toAlice.addAll(bob.run(insert(2, "XY", Map.of("bold", true)), () -> "bob inserts bold"));
        toAlice.addAll(bob.run(arrayDelete(0, 1), () -> "bob deletes from the array"));
        exchange(alice, toAlice, bob, toBob);
        assertEquals(alice.quire.state(), bob.yjs.state(), "alice and bob converge again");
        alice.assertSameState(() -> "alice at the end");
        bob.assertSameState(() -> "bob at the end");
        peer.free("alice");
        peer.free("bob");
    }

    /** Delivers both outboxes until quiet (cleanup transactions produce new updates). */
    private static void exchange(Twin a, List<byte[]> toA, Twin b, List<byte[]> toB) {
        while (!toA.isEmpty() || !toB.isEmpty()) {
            List<byte[]> forA = new ArrayList<>(toA);
            List<byte[]> forB = new ArrayList<>(toB);
            toA.clear();
            toB.clear();
            forA.forEach(u -> toB.addAll(a.apply(u, () -> a.label() + " receives")));
            forB.forEach(u -> toA.addAll(b.apply(u, () -> b.label() + " receives")));
        }
    }

    private static ObjectNode[] typing(String text) {
        ObjectNode[] steps = new ObjectNode[text.length()];
        for (int i = 0; i < text.length(); i++) {
            steps[i] = insert(i, text.substring(i, i + 1));
        }
        return steps;
    }

    /** A map that keeps null values (Map.of does not allow them). */
    static Map<String, Object> map(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, value);
        return m;
    }

    /** A map with this key order: the encoded JSON follows it. */
    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
