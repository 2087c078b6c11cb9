package dev.quire.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Updates.parseUpdateMeta: the clock span of each client in an update, as Yjs parseUpdateMeta reports it. */
class UpdateMetaTest {

    @Test
    void spansEachClientFromItsFirstToItsLastClock() {
        Doc a = new Doc(7);
        Doc b = new Doc(9);
        List<byte[]> fromA = new ArrayList<>();
        a.onUpdate((u, origin, t) -> fromA.add(u));
        a.getText("t").insert(0, "hello"); // clocks 0..5
        a.getText("t").insert(5, "!!");    // clocks 5..7
        Updates.applyUpdate(b, Updates.encodeStateAsUpdate(a));
        b.getText("t").insert(0, "xyz");

        Updates.UpdateMeta whole = Updates.parseUpdateMeta(Updates.encodeStateAsUpdate(b));
        assertEquals(Map.of(7L, 0, 9L, 0), whole.from());
        assertEquals(Map.of(7L, 7, 9L, 3), whole.to());

        Updates.UpdateMeta second = Updates.parseUpdateMeta(fromA.get(1));
        assertEquals(Map.of(7L, 5), second.from());
        assertEquals(Map.of(7L, 7), second.to());
    }

    @Test
    void aDeleteOnlyUpdateCarriesNoClocks() {
        Doc a = new Doc(7);
        a.getText("t").insert(0, "hello");
        List<byte[]> sent = new ArrayList<>();
        a.onUpdate((u, origin, t) -> sent.add(u));
        a.getText("t").delete(0, 2);
        assertEquals(Map.of(), Updates.parseUpdateMeta(sent.get(0)).to());
    }

    @Test
    void aTruncatedUpdateIsAFormatError() {
        Doc a = new Doc(7);
        a.getText("t").insert(0, "hello");
        byte[] u = Updates.encodeStateAsUpdate(a);
        byte[] cut = java.util.Arrays.copyOf(u, 4);
        assertThrows(UpdateFormatException.class, () -> Updates.parseUpdateMeta(cut));
    }
}
