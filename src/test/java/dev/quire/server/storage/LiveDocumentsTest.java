package dev.quire.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quire.crdt.Doc;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** The cache of live documents: least recently used ones go beyond the capacity, pinned ones never do. */
class LiveDocumentsTest {
    private final LiveDocuments live = new LiveDocuments(2);
    private final Map<String, Integer> loads = new HashMap<>();

    private void use(String id) {
        ReentrantLock lock = live.lockFor(id);
        lock.lock();
        try {
            live.get(id, () -> {
                loads.merge(id, 1, Integer::sum);
                return new LiveDocuments.Live(new Doc(), 0, new HashMap<>());
            });
        } finally {
            lock.unlock();
        }
    }

    @Test
    void beyondTheCapacityTheLeastRecentlyUsedIsRebuiltOnItsNextUse() {
        use("a");
        use("b");
        use("c"); // a goes
        use("a");
        assertEquals(2, loads.get("a"));
        assertEquals(1, loads.get("c"));
    }

    @Test
    void aPinnedDocumentStaysHoweverManyOthersAreUsedAndGoesNormallyOnceReleased() {
        Runnable release = live.pin("a");
        use("a");
        for (String other : new String[] {"b", "c", "d", "e"}) {
            use(other);
            use("a");
        }
        assertEquals(1, loads.get("a"), "never rebuilt while pinned");
        use("d");
        use("e");
        assertEquals(1, loads.get("d"), "the two unpinned places hold the two last used");
        assertEquals(1, loads.get("e"));
        use("b");
        assertEquals(2, loads.get("b"), "and older ones were rebuilt");

        release.run();
        release.run(); // twice counts once
        use("d");
        use("e");
        use("f");
        use("a");
        assertEquals(2, loads.get("a"), "an ordinary cached document again once released");
    }

    @Test
    void pinsAreCountedPerHolder() {
        Runnable first = live.pin("a");
        Runnable second = live.pin("a");
        use("a");
        first.run();
        for (String other : new String[] {"b", "c", "d"}) {
            use(other);
        }
        use("a");
        assertEquals(1, loads.get("a"), "still pinned by the second holder");
        second.run();
    }
}
