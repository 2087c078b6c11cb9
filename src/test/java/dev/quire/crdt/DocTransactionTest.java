package dev.quire.crdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Transactions, events and listeners of a {@link Doc}. */
class DocTransactionTest {

    @Test
    void nestedTransactionsEmitOneUpdateWithTheOuterOrigin() {
        Doc doc = new Doc(1);
        List<Object> origins = new ArrayList<>();
        List<byte[]> updates = new ArrayList<>();
        doc.onUpdate((u, origin, t) -> {
            updates.add(u);
            origins.add(origin);
        });
        doc.transact(t -> {
            doc.getText("t").insert(0, "ab");
            doc.transact(inner -> doc.getMap("m").set("k", 1L), "ignored inner origin");
        }, "me");

        assertEquals(1, updates.size());
        assertEquals(List.of("me"), origins);
        Doc other = new Doc(2);
        Updates.applyUpdate(other, updates.get(0));
        assertEquals("ab", other.getText("t").toString());
        assertEquals(1L, other.getMap("m").get("k"));
    }

    @Test
    void aThrowingObserverStillLetsTheTransactionFinishAndTheDocStaysUsable() {
        Doc doc = new Doc(1);
        YText text = doc.getText("t");
        List<byte[]> updates = new ArrayList<>();
        doc.onUpdate((u, origin, t) -> updates.add(u));
        Runnable off = text.observe(e -> {
            throw new IllegalStateException("observer bug");
        });

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> text.insert(0, "hello"));
        assertEquals("observer bug", e.getMessage());

        assertEquals(1, updates.size(), "the update is still emitted");
        off.run();
        text.insert(5, " world");
        assertEquals("hello world", text.toString());
        assertEquals(2, updates.size());
    }

    @Test
    void textEventsDescribeTheChangeAsADelta() {
        Doc doc = new Doc(1);
        YText text = doc.getText("t");
        text.insert(0, "hello world");
        List<List<Map<String, Object>>> deltas = new ArrayList<>();
        text.observe(e -> deltas.add(((YTextEvent) e).delta()));

        doc.transact(t -> {
            text.delete(0, 1);
            text.insert(0, "J");
            text.format(6, 5, Map.of("bold", true));
        });

        // as Yjs reports it: the deleted "h" stays left of the new "J" (the insert lands after the tombstone)
        assertEquals(List.of(List.of(
                Map.of("delete", 1),
                Map.of("insert", "J"),
                Map.of("retain", 5),
                Map.of("retain", 5, "attributes", Map.of("bold", true)))), deltas);
    }

    @Test
    void remoteUpdatesAreNotLocalAndCarryTheirOrigin() {
        Doc a = new Doc(1);
        Doc b = new Doc(2);
        a.getText("t").insert(0, "x");
        List<Boolean> local = new ArrayList<>();
        List<Object> origins = new ArrayList<>();
        b.onAfterTransaction(t -> {
            local.add(t.isLocal());
            origins.add(t.origin());
        });

        Updates.applyUpdate(b, Updates.encodeStateAsUpdate(a), "network");

        assertEquals(List.of(false), local);
        assertEquals(List.of("network"), origins);
    }

    @Test
    void anUpdateFromTheFutureWaitsAndThenIntegrates() {
        Doc a = new Doc(1);
        List<byte[]> updates = new ArrayList<>();
        a.onUpdate((u, o, t) -> updates.add(u));
        a.getText("t").insert(0, "ab");
        a.getText("t").insert(1, "X");
        a.getText("t").delete(0, 1);
        Doc b = new Doc(2);

        Updates.applyUpdate(b, updates.get(2));
        Updates.applyUpdate(b, updates.get(1));
        assertTrue(b.hasPending());
        assertEquals("", b.getText("t").toString());
        // the pending content travels on with the state
        byte[] partial = Updates.encodeStateAsUpdate(b);

        Updates.applyUpdate(b, updates.get(0));
        assertFalse(b.hasPending());
        assertEquals("Xb", b.getText("t").toString());
        assertArrayEquals(Updates.encodeStateAsUpdate(a), Updates.encodeStateAsUpdate(b));

        Doc c = new Doc(3);
        Updates.applyUpdate(c, partial);
        Updates.applyUpdate(c, updates.get(0));
        assertEquals("Xb", c.getText("t").toString());
    }

    @Test
    void garbageCollectionCanBeSwitchedOffToKeepDeletedText() {
        Doc kept = new Doc(1, false);
        kept.getText("t").insert(0, "secret");
        kept.getText("t").delete(0, 6);
        Doc collected = new Doc(1);
        collected.getText("t").insert(0, "secret");
        collected.getText("t").delete(0, 6);

        assertTrue(new String(Updates.encodeStateAsUpdate(kept), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("secret"));
        assertFalse(new String(Updates.encodeStateAsUpdate(collected), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("secret"));
        assertNull(collected.getMap("m").get("nothing"));
    }
}
