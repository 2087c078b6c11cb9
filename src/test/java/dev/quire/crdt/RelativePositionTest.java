package dev.quire.crdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quire.crdt.encoding.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link RelativePosition}: positions that move with the text, and Yjs's byte and JSON forms. */
class RelativePositionTest {

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    private static void sync(Doc from, Doc to) {
        Updates.applyUpdate(to, Updates.encodeStateAsUpdate(from, Updates.encodeStateVector(to)), "remote");
    }

    @Test
    void relativePositionSurvivesRemoteInsertBefore() {
        Doc a = new Doc(1);
        Doc b = new Doc(2);
        a.getText("t").insert(0, "abc");
        sync(a, b);
        RelativePosition beforeB = RelativePosition.fromIndex(a.getText("t"), 1);
        b.getText("t").insert(0, "xyz");
        sync(b, a);
        assertEquals("xyzabc", a.getText("t").toString());
        AbsolutePosition abs = beforeB.toAbsolute(a);
        assertSame(a.getText("t"), abs.type());
        assertEquals(4, abs.index());
        assertEquals(4, beforeB.toAbsolute(b).index(), "the same position resolves alike on every peer");
    }

    @Test
    void assocDecidesWhichSideTypedTextGoes() {
        Doc doc = new Doc(1);
        YText text = doc.getText("t");
        text.insert(0, "ac");
        RelativePosition right = RelativePosition.fromIndex(text, 1, 0);
        RelativePosition left = RelativePosition.fromIndex(text, 1, -1);
        text.insert(1, "b");
        assertEquals(2, right.toAbsolute(doc).index(), "sticks to 'c': text typed at it goes before it");
        assertEquals(1, left.toAbsolute(doc).index(), "sticks to 'a': text typed at it goes after it");
        assertEquals(-1, left.toAbsolute(doc).assoc());
    }

    @Test
    void positionsAtTheEndsStickToTheEnds() {
        Doc doc = new Doc(1);
        YText text = doc.getText("t");
        text.insert(0, "abc");
        RelativePosition end = RelativePosition.fromIndex(text, 3);
        RelativePosition start = RelativePosition.fromIndex(text, 0, -1);
        assertEquals(new RelativePosition(null, "t", null, 0), end);
        assertEquals(new RelativePosition(null, "t", null, -1), start);
        text.insert(3, "def");
        text.insert(0, ">");
        assertEquals(7, end.toAbsolute(doc).index());
        assertEquals(0, start.toAbsolute(doc).index());
    }

    @Test
    void positionInDeletedTextCollapsesToTheDeletion() {
        Doc doc = new Doc(1);
        YText text = doc.getText("t");
        text.insert(0, "hello world");
        RelativePosition inWorld = RelativePosition.fromIndex(text, 8);
        text.delete(5, 6);
        assertEquals(5, inWorld.toAbsolute(doc).index());
    }

    @Test
    void positionFromAnUnknownPeerResolvesToNull() {
        Doc a = new Doc(1);
        Doc b = new Doc(2);
        a.getText("t").insert(0, "abc");
        RelativePosition p = RelativePosition.fromIndex(a.getText("t"), 1);
        assertNull(p.toAbsolute(b), "b has not received the content yet");
    }

    @Test
    void positionInNestedTypeNamesTheTypeItem() {
        Doc doc = new Doc(5);
        YArray list = doc.getArray("list");
        YText note = new YText();
        list.insert(0, List.of(note));
        note.insert(0, "ab");
        RelativePosition end = RelativePosition.fromIndex(note, 2);
        assertEquals(new RelativePosition(new ID(5, 0), null, null, 0), end);
        AbsolutePosition abs = end.toAbsolute(doc);
        assertSame(note, abs.type());
        assertEquals(2, abs.index());
        list.delete(0, 1);
        assertNull(end.toAbsolute(doc), "the type was deleted and garbage collected");
    }

    @Test
    void positionFollowsTextBroughtBackByUndo() {
        Doc doc = new Doc(1);
        YText text = doc.getText("t");
        long[] now = {1_000_000};
        UndoManager um = UndoManager.builder(text).clock(() -> now[0]).build();
        text.insert(0, "hello world");
        now[0] += 1000;
        RelativePosition atW = RelativePosition.fromIndex(text, 6);
        text.delete(0, 11);
        um.undo();
        assertEquals("hello world", text.toString());
        assertEquals(6, atW.toAbsolute(doc).index(), "follows the redone link to the copy of 'w'");
        assertEquals(11, atW.toAbsolute(doc, false).index(), "the deleted original sits after its copy");
    }

    /*
     * Bytes from Yjs 13.6.33 (node, src/test/js/node_modules/yjs):
     *
     *   const doc = new Y.Doc(); doc.clientID = 1
     *   const t = doc.getText('t'); t.insert(0, 'hello')
     *   Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(t, 2))      // 00 01 02 00
     *   Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(t, 5))      // 01 01 74 00
     *   Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(t, 5, -1))  // 00 01 04 41
     *   Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(t, 0, -1))  // 01 01 74 41
     *   const d2 = new Y.Doc(); d2.clientID = 4294967295
     *   const nested = new Y.Text(); d2.getArray('list').insert(0, [nested]); nested.insert(0, 'é'.repeat(200))
     *   Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(nested, 200))
     *                                                                   // 02 ff ff ff ff 0f 00 00
     *   Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(nested, 150, -1000))
     *                                                                   // 00 ff ff ff ff 0f 96 01 e8 0f
     *   const d3 = new Y.Doc(); d3.clientID = 7; d3.getText('ünïcode').insert(0, 'x')
     *   Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(d3.getText('ünïcode'), 1, 3))
     *                                                                   // 01 09 c3 bc 6e c3 af 63 6f 64 65 03
     */
    @Test
    void relativePositionBytesMatchYjs() {
        Doc doc = new Doc(1);
        YText t = doc.getText("t");
        t.insert(0, "hello");
        assertArrayEquals(bytes(0x00, 0x01, 0x02, 0x00), RelativePosition.fromIndex(t, 2).encode());
        assertArrayEquals(bytes(0x01, 0x01, 0x74, 0x00), RelativePosition.fromIndex(t, 5).encode());
        assertArrayEquals(bytes(0x00, 0x01, 0x04, 0x41), RelativePosition.fromIndex(t, 5, -1).encode());
        assertArrayEquals(bytes(0x01, 0x01, 0x74, 0x41), RelativePosition.fromIndex(t, 0, -1).encode());

        Doc d2 = new Doc(4294967295L);
        YText nested = new YText();
        d2.getArray("list").insert(0, List.of(nested));
        nested.insert(0, "é".repeat(200));
        assertArrayEquals(bytes(0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x00),
                RelativePosition.fromIndex(nested, 200).encode());
        assertArrayEquals(bytes(0x00, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x96, 0x01, 0xe8, 0x0f),
                RelativePosition.fromIndex(nested, 150, -1000).encode());

        Doc d3 = new Doc(7);
        d3.getText("ünïcode").insert(0, "x");
        assertArrayEquals(bytes(0x01, 0x09, 0xc3, 0xbc, 0x6e, 0xc3, 0xaf, 0x63, 0x6f, 0x64, 0x65, 0x03),
                RelativePosition.fromIndex(d3.getText("ünïcode"), 1, 3).encode());
    }

    @Test
    void decodeReadsWhatYjsWrites() {
        assertEquals(new RelativePosition(null, null, new ID(1, 2), 0), RelativePosition.decode(bytes(0, 1, 2, 0)));
        assertEquals(new RelativePosition(null, "t", null, -1), RelativePosition.decode(bytes(1, 1, 0x74, 0x41)));
        assertEquals(new RelativePosition(new ID(4294967295L, 0), null, null, 0),
                RelativePosition.decode(bytes(0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x00)));
        assertEquals(new RelativePosition(null, null, new ID(4294967295L, 150), -1000),
                RelativePosition.decode(bytes(0x00, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x96, 0x01, 0xe8, 0x0f)));
        // like Yjs: a missing assoc means 0, and JavaScript's -0 (0x40) counts as right-associated
        assertEquals(new RelativePosition(null, null, new ID(1, 2), 0), RelativePosition.decode(bytes(0, 1, 2)));
        assertEquals(0, RelativePosition.decode(bytes(0, 1, 2, 0x40)).assoc());
    }

    @Test
    void malformedBytesAreRejected() {
        assertThrows(UpdateFormatException.class, () -> RelativePosition.decode(new byte[0]));
        assertThrows(UpdateFormatException.class, () -> RelativePosition.decode(bytes(5, 1, 2)), "unknown kind");
        assertThrows(UpdateFormatException.class, () -> RelativePosition.decode(bytes(0, 1)), "truncated id");
        assertThrows(UpdateFormatException.class, () -> RelativePosition.decode(bytes(1, 9, 0x74)), "short string");
        assertThrows(UpdateFormatException.class, () -> RelativePosition.decode(bytes(0, 1, 2, 0x80)), "cut varint");
        assertThrows(UpdateFormatException.class,
                () -> RelativePosition.decode(bytes(0, 1, 2, 0xbf, 0xff, 0xff, 0xff, 0x1f)), "assoc beyond int");
    }

    @Test
    void encodeDecodeRoundTrips() {
        for (RelativePosition p : List.of(
                new RelativePosition(null, null, new ID(123456789L, 42), -3),
                new RelativePosition(null, "title", null, 0),
                new RelativePosition(new ID(9, 1), null, null, Integer.MIN_VALUE),
                new RelativePosition(null, "", null, Integer.MAX_VALUE))) {
            assertEquals(p, RelativePosition.decode(p.encode()));
        }
    }

    /*
     * Yjs: JSON.stringify(Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(t, 2)))
     *      === '{"tname":"t","item":{"client":1,"clock":2},"assoc":0}'
     */
    @Test
    void jsonFormMatchesYjs() {
        Doc doc = new Doc(1);
        YText t = doc.getText("t");
        t.insert(0, "hello");
        RelativePosition p = RelativePosition.fromIndex(t, 2);
        assertEquals("{\"tname\":\"t\",\"item\":{\"client\":1,\"clock\":2},\"assoc\":0}", Json.stringify(p.toJson()));
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = (Map<String, Object>) Json.parse(Json.stringify(p.toJson()));
        assertEquals(p, RelativePosition.fromJson(parsed));
        assertEquals(new RelativePosition(new ID(4294967295L, 0), null, null, 0), RelativePosition.fromJson(
                Map.of("type", Map.of("client", 4294967295L, "clock", 0))), "assoc defaults to 0");
        assertThrows(IllegalArgumentException.class, () -> RelativePosition.fromJson(Map.of("assoc", 1)));
        assertThrows(IllegalArgumentException.class,
                () -> RelativePosition.fromJson(Map.of("item", Map.of("client", -1, "clock", 0))));
    }
}
