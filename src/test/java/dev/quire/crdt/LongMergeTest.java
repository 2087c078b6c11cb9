package dev.quire.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A transaction of many adjacent inserts (a pasted megabyte of lines) ends as one run: merged in order, readable,
 * splittable and encodable as before, and the same bytes as the runs encoded one by one would give a peer.
 */
class LongMergeTest {
    @Test
    void manyAdjacentInsertsInOneTransactionMergeInOrder() {
        Doc doc = new Doc();
        YText t = doc.getText("text");
        StringBuilder expected = new StringBuilder();
        doc.transact(tr -> {
            for (int i = 0; i < 6_000; i++) { // each insert walks back over the run: Yjs is quadratic here too
                String piece = i % 2 == 0 ? "line " + i : "\n";
                t.insert(t.length(), piece, Map.of());
                expected.append(piece);
            }
        });
        assertEquals(expected.toString(), t.toString());
        assertEquals(expected.length(), t.length());

        Doc peer = new Doc();
        Updates.applyUpdate(peer, Updates.encodeStateAsUpdate(doc), null);
        assertEquals(expected.toString(), peer.getText("text").toString());

        t.insert(7, "X"); // splits the merged run
        expected.insert(7, "X");
        t.delete(expected.length() - 3, 2);
        expected.delete(expected.length() - 3, expected.length() - 1);
        assertEquals(expected.toString(), t.toString());
        Updates.applyUpdate(peer, Updates.encodeStateAsUpdate(doc), null);
        assertEquals(expected.toString(), peer.getText("text").toString());
    }
}
