package dev.quire.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.crdt.encoding.Encoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The frame layout, round trips, and how bad frames are refused (what and where, never what they contained). */
class ProtocolCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void everyMessageSurvivesARoundTrip() {
        for (Message m : Samples.messages()) {
            byte[] frame = ProtocolCodec.encode(m);
            assertEquals(m, ProtocolCodec.decode(frame), m.toString());
            assertArrayEquals(frame, ProtocolCodec.encode(ProtocolCodec.decode(frame)), m.toString());
        }
    }

    @Test
    void framesAreLaidOutAsYWebsocketWritesThem() {
        assertEquals("03", hex(new QueryAwareness()));
        // messageSync, messageYjsSyncStep1, varUint8Array([0]) = the empty state vector
        assertEquals("00000100", hex(new SyncStep1(new byte[] {0})));
        assertEquals("000103010203", hex(new SyncStep2(new byte[] {1, 2, 3})));
        assertEquals("000200", hex(new SyncUpdate(new byte[0])));
        // messageAwareness, then the awareness update as one byte array: 1 entry, client 300, clock 2, "null"
        assertEquals("01" + "09" + "01" + "ac02" + "02" + "046e756c6c", hex(AwarenessUpdate.of(
                AwarenessEntry.removed(300, 2))));
        assertEquals("0200" + "026e6f", hex(new AuthPermissionDenied("no")));
        // Quire: type 81 (0x51, 'Q'), sub-type, fields
        assertEquals("51" + "00" + "02" + "6964" + "ff01", hex(new AuthOk("id", 255)));
        // a reader's auth-ok adds the read-only flag; a writer's stays as it always was, and reads back writable
        assertEquals("51" + "00" + "02" + "6964" + "ff01" + "01", hex(new AuthOk("id", 255, true)));
        assertEquals(new AuthOk("id", 255, true), ProtocolCodec.decode(ProtocolCodec.encode(new AuthOk("id", 255, true))));
        assertEquals(new AuthOk("id", 255, false), ProtocolCodec.decode(ProtocolCodec.encode(new AuthOk("id", 255))));
        assertEquals("51" + "01" + "03" + "746f6b", hex(new Renew("tok")));
        assertEquals("51" + "02" + "07" + "8001", hex(new Ack(7, 128)));
        assertEquals("51" + "03" + "01" + "43" + "00", hex(new ErrorMessage("C", "")));
    }

    @Test
    void awarenessStateThatIsJsonNullMeansRemoved() {
        assertNull(new AwarenessEntry(1, 1, " null ").stateJson());
        Message decoded = ProtocolCodec.decode(awarenessFrame(e -> {
            e.writeVarUint(1);
            e.writeVarUint(5);
            e.writeVarUint(1);
            e.writeVarString("null");
        }));
        assertEquals(AwarenessUpdate.of(AwarenessEntry.removed(5, 1)), decoded);
        assertTrue(((AwarenessUpdate) decoded).entries().get(0).isRemoval());
    }

    @Test
    void refusesFramesLargerThanTheLimitUnread() {
        byte[] frame = ProtocolCodec.encode(new SyncUpdate(new byte[100]));
        ProtocolException e = assertThrows(ProtocolException.class, () -> ProtocolCodec.decode(frame, 50));
        assertEquals(ProtocolException.Kind.TOO_LARGE, e.kind());
        assertEquals("frame of 103 bytes is larger than the limit of 50 bytes (at byte 50)", e.getMessage());
        assertEquals(new SyncUpdate(new byte[100]), ProtocolCodec.decode(frame, 103));
        assertEquals(16 * 1024 * 1024, ProtocolCodec.MAX_FRAME_BYTES);
        byte[] huge = new byte[ProtocolCodec.MAX_FRAME_BYTES + 1];
        assertEquals(ProtocolException.Kind.TOO_LARGE,
                assertThrows(ProtocolException.class, () -> ProtocolCodec.decode(huge)).kind());
    }

    @Test
    void namesWhatWasBeingReadAndWhere() {
        assertRefused(ProtocolException.Kind.MALFORMED, "empty frame (at byte 0)", new byte[0]);
        assertRefused(ProtocolException.Kind.UNKNOWN_TYPE, "unknown message type 9 (at byte 0)", bytes(9));
        assertRefused(ProtocolException.Kind.UNKNOWN_TYPE, "unknown message type 128 (at byte 0)", bytes(0x80, 0x01));
        assertRefused(ProtocolException.Kind.UNKNOWN_TYPE, "unknown sync message type 3 (at byte 1)", bytes(0, 3, 0));
        assertRefused(ProtocolException.Kind.UNKNOWN_TYPE, "unknown auth message type 1 (at byte 1)", bytes(2, 1, 0));
        assertRefused(ProtocolException.Kind.UNKNOWN_TYPE, "unknown Quire message type 4 (at byte 1)", bytes(81, 4));
        assertRefused(ProtocolException.Kind.MALFORMED, "cannot read the sync message type: unexpected end of input"
                + " while reading a variable-length integer (at byte 1)", bytes(0));
        assertRefused(ProtocolException.Kind.MALFORMED, "cannot read the sync step 2 update length: unexpected end of"
                + " input: 5 bytes announced, 2 left (at byte 2)", bytes(0, 1, 5, 1, 2));
        assertRefused(ProtocolException.Kind.MALFORMED, "cannot read the message type: integer out of range (at byte 0)",
                bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f));
        assertRefused(ProtocolException.Kind.MALFORMED, "2 bytes left over after a complete QueryAwareness message"
                + " (at byte 1)", bytes(3, 0, 0));
        assertRefused(ProtocolException.Kind.MALFORMED, "1 bytes left over after a complete SyncUpdate message"
                + " (at byte 4)", bytes(0, 2, 1, 7, 0));
        assertRefused(ProtocolException.Kind.MALFORMED, "cannot read the ack clock: unexpected end of input while"
                + " reading a variable-length integer (at byte 3)", bytes(81, 2, 1));
    }

    @Test
    void checksTheStateVectorOfSyncStep1() {
        assertRefused(ProtocolException.Kind.MALFORMED, "cannot read sync step 1 state vector entry 1: unexpected end"
                + " of input while reading a variable-length integer (at byte 7)", bytes(0, 0, 4, 2, 5, 1, 6));
        assertRefused(ProtocolException.Kind.MALFORMED, "sync step 1 state vector has 1 bytes left over after its 1"
                + " entries (at byte 6)", bytes(0, 0, 4, 1, 5, 1, 9));
        assertRefused(ProtocolException.Kind.MALFORMED, "cannot read the sync step 1 state vector size: unexpected end"
                + " of input while reading a variable-length integer (at byte 3)", bytes(0, 0, 0));
        // clocks beyond 2^31-1 are valid Yjs but not Quire (int clocks): refused here rather than later
        assertEquals(ProtocolException.Kind.MALFORMED, assertThrows(ProtocolException.class,
                () -> ProtocolCodec.decode(bytes(0, 0, 8, 1, 1, 0x80, 0x80, 0x80, 0x80, 0x08))).kind());
    }

    @Test
    void checksAwarenessEntries() {
        byte[] notJson = awarenessFrame(e -> {
            e.writeVarUint(2);
            e.writeVarUint(1);
            e.writeVarUint(1);
            e.writeVarString("{}");
            e.writeVarUint(7);
            e.writeVarUint(1);
            e.writeVarString("{'secret-token':1}");
        });
        assertRefused(ProtocolException.Kind.MALFORMED, "awareness entry 1 (client 7): state is not valid JSON: error"
                + " at character 1 of the state (at byte 10)", notJson);
        for (String bad : List.of("", " ", "{} {}", "{\"a\":1,}", "NaN", "01", "undefined", "[1", "\"a\u0001\"",
                "/*c*/1", "\"\\x\"", "{\"a\":\"\u0001\"}", "{\"a\":[\"\\q\"]}", "{\"a\" 1}",
                "[".repeat(5000) + "]".repeat(5000) /* beyond Jackson's nesting limit of 1000 */)) {
            assertThrows(IllegalArgumentException.class, () -> new AwarenessEntry(1, 1, bad), bad);
        }
        for (String good : List.of("0", "-1.5e300", "\"\\u00e9\\n\"", " {\"a\": [1, {\"b\": null}]} ", "1e400")) {
            assertEquals(good, new AwarenessEntry(1, 1, good).stateJson());
        }
        assertRefused(ProtocolException.Kind.MALFORMED, "awareness update has 1 bytes left over after its 0 entries"
                + " (at byte 3)", bytes(1, 2, 0, 0));
        assertRefused(ProtocolException.Kind.MALFORMED, "cannot read awareness entry 0's state: unexpected end of input"
                + " while reading a variable-length integer (at byte 5)", bytes(1, 3, 1, 1, 1, 4, 'n', 'u', 'l', 'l'));
    }

    @Test
    void errorsNeverQuoteAToken() {
        byte[] renew = ProtocolCodec.encode(new Renew(Samples.TOKEN));
        for (int cut = 0; cut < renew.length; cut++) {
            byte[] frame = Arrays.copyOf(renew, cut);
            ProtocolException e = assertThrows(ProtocolException.class, () -> ProtocolCodec.decode(frame));
            assertNoTokenIn(e.getMessage());
        }
        byte[] trailing = Arrays.copyOf(renew, renew.length + 20);
        System.arraycopy("secret-token-trailer".getBytes(StandardCharsets.US_ASCII), 0, trailing, renew.length, 20);
        assertNoTokenIn(assertThrows(ProtocolException.class, () -> ProtocolCodec.decode(trailing)).getMessage());
        byte[] tooLarge = ProtocolCodec.encode(new Renew(Samples.TOKEN));
        assertNoTokenIn(assertThrows(ProtocolException.class, () -> ProtocolCodec.decode(tooLarge, 10)).getMessage());
    }

    @Test
    void renewNeverShowsItsToken() {
        Renew renew = new Renew(Samples.TOKEN);
        String shown = renew.toString();
        assertNoTokenIn(shown);
        assertFalse(shown.contains(Samples.TOKEN.substring(Samples.TOKEN.length() - 12)), shown);
        assertTrue(shown.matches("Renew\\[accessToken=<redacted sha256:[0-9a-f]{8}>]"), shown);
        assertEquals(renew.fingerprint(), new Renew(Samples.TOKEN).fingerprint());
        assertFalse(renew.fingerprint().equals(new Renew(Samples.TOKEN + "x").fingerprint()));
        assertNoTokenIn(String.valueOf(List.of(renew)));
        // the sync records show sizes, not contents
        assertEquals("SyncUpdate[update=3 bytes]", new SyncUpdate(new byte[] {1, 2, 3}).toString());
    }

    @Test
    void recordsRefuseValuesAJavaScriptPeerCannotRead() {
        assertThrows(IllegalArgumentException.class, () -> new Ack(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Ack(0, 1L << 53));
        assertThrows(IllegalArgumentException.class, () -> new AwarenessEntry(1L << 53, 0, "{}"));
        assertThrows(IllegalArgumentException.class, () -> new AuthOk("u", -5));
        assertThrows(NullPointerException.class, () -> new Renew(null));
    }

    private static void assertNoTokenIn(String text) {
        assertFalse(text.contains("secret-token"), text);
        assertFalse(text.contains("eyJ"), text);
    }

    private static void assertRefused(ProtocolException.Kind kind, String message, byte[] frame) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> ProtocolCodec.decode(frame), HEX.formatHex(frame));
        assertEquals(message, e.getMessage(), HEX.formatHex(frame));
        assertEquals(kind, e.kind(), HEX.formatHex(frame));
    }

    private static byte[] awarenessFrame(Consumer<Encoder> entries) {
        Encoder inner = new Encoder();
        entries.accept(inner);
        Encoder e = new Encoder();
        e.writeVarUint(ProtocolCodec.MESSAGE_AWARENESS);
        e.writeVarBytes(inner.toByteArray());
        return e.toByteArray();
    }

    private static String hex(Message m) {
        return HEX.formatHex(ProtocolCodec.encode(m));
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
