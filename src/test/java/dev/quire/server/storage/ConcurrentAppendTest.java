package dev.quire.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several server threads appending to the same documents at once: every update lands exactly once, with gapless
 * sequence numbers, and the stored document is what a client that received every update has.
 */
class ConcurrentAppendTest {
    private static final int THREADS = 8;
    private static final int UPDATES_PER_THREAD = 60;

    @TempDir
    Path dir;

    /**
     * With a cache of 1, the two documents keep evicting each other and are rebuilt from storage mid-run; with
     * compaction every 17 updates, the store's own thread compacts them while the writers go on.
     */
    @ParameterizedTest(name = "cached documents: {0}, compacted every {1} updates")
    @CsvSource({"64, 0", "1, 0", "1, 17"})
    void everyAppendLandsExactlyOnce(int cachedDocuments, int compactAfter) throws Exception {
        Map<String, byte[]> stateByTitle = new HashMap<>();
        try (H2DocumentStore store = H2DocumentStore.open(dir, H2DocumentStore.Options.defaults()
                .withCachedDocuments(cachedDocuments).withCompaction(compactAfter, null))) {
            List<String> docs = List.of(store.createDocument("ws", "alice", "one").id(),
                    store.createDocument("ws", "alice", "two").id());
            // thread t writes as client 100 + t, to document t % 2; each edit is its own update
            Map<Integer, List<byte[]>> sent = new HashMap<>();
            for (int t = 0; t < THREADS; t++) {
                Editor editor = new Editor(100 + t);
                List<byte[]> updates = new ArrayList<>();
                for (int i = 0; i < UPDATES_PER_THREAD; i++) {
                    String token = "<" + t + ":" + i + ">";
                    updates.add(editor.edit(text -> text.insert(text.length(), token)));
                }
                sent.put(t, updates);
            }

            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<List<Appended>>> results = new ArrayList<>();
            long began = System.nanoTime();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    List<Appended> acks = new ArrayList<>();
                    for (byte[] u : sent.get(thread)) {
                        acks.add(store.appendUpdate(docs.get(thread % 2), u, "user-" + thread, "conn-" + thread,
                                Instant.now()));
                    }
                    return acks;
                }));
            }
            start.countDown();
            Map<String, Set<Long>> seqs = new HashMap<>();
            for (int t = 0; t < THREADS; t++) {
                List<Appended> acks = results.get(t).get();
                for (int i = 0; i < acks.size(); i++) {
                    Appended a = acks.get(i);
                    assertTrue(a.stored());
                    assertTrue(seqs.computeIfAbsent(docs.get(t % 2), k -> new TreeSet<>()).add(a.seq()),
                            "seq " + a.seq() + " handed out twice");
                    assertTrue(a.clockOf(100 + t) >= (i + 1) * 5, "the ack covers this thread's update " + i);
                }
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            pool.shutdown();
            System.out.printf("%d appends from %d threads in %.2f s (%.0f/s), cached documents %d%n",
                    THREADS * UPDATES_PER_THREAD, THREADS, seconds, THREADS * UPDATES_PER_THREAD / seconds,
                    cachedDocuments);

            int perDoc = THREADS / 2 * UPDATES_PER_THREAD;
            for (int d = 0; d < 2; d++) {
                String id = docs.get(d);
                assertEquals(LongStream.rangeClosed(1, perDoc).boxed().collect(Collectors.toSet()), seqs.get(id));
                List<HistoryEntry> history = store.history(id);
                assertEquals(perDoc, history.size());
                for (HistoryEntry h : history) {
                    int thread = Integer.parseInt(h.userId().substring("user-".length()));
                    assertEquals(d, thread % 2);
                    assertEquals(List.of(100L + thread), h.added().stream().map(ClockRange::clientId).toList());
                }
                Doc everything = new Doc(1);
                for (int t = d; t < THREADS; t += 2) {
                    sent.get(t).forEach(u -> Updates.applyUpdate(everything, u));
                }
                Doc loaded = new Doc(2);
                Updates.applyUpdate(loaded, store.loadState(id));
                assertEquals(everything.getText("content").toString(), loaded.getText("content").toString());
                assertEquals(everything.stateVector(), loaded.stateVector());
                stateByTitle.put(store.document(id).orElseThrow().title(), store.loadState(id));
            }
        }
        try (H2DocumentStore reopened = H2DocumentStore.open(dir)) {
            for (DocumentInfo doc : reopened.documents("ws")) {
                assertEquals(THREADS / 2 * UPDATES_PER_THREAD, reopened.history(doc.id()).size());
                assertArrayEquals(stateByTitle.get(doc.title()), reopened.loadState(doc.id()));
            }
        }
    }
}
