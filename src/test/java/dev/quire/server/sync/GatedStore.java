package dev.quire.server.sync;

import dev.quire.server.storage.Appended;
import dev.quire.server.storage.Compaction;
import dev.quire.server.storage.DocumentInfo;
import dev.quire.server.storage.DocumentStore;
import dev.quire.server.storage.HistoryEntry;
import dev.quire.server.storage.LogStats;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fault: the real store, except that appending a non-empty update waits until the test opens the gate, as a slow
 * disk would. {@link #entered} is released when an append starts waiting.
 */
final class GatedStore implements DocumentStore {
    private final DocumentStore real;
    final Semaphore entered = new Semaphore(0);
    final Semaphore gate = new Semaphore(0);
    /** Pins held (DocumentStore.pin), and a latch opened whenever the count falls back to zero. */
    final AtomicInteger pins = new AtomicInteger();
    volatile CountDownLatch allReleased = new CountDownLatch(1);

    GatedStore(DocumentStore real) {
        this.real = real;
    }

    @Override
    public Appended appendUpdate(String docId, byte[] update, String userId, String connectionId, Instant serverTime) {
        if (update.length > 2) { // an empty update (0, 0) is what every client's first sync step 2 holds
            entered.release();
            gate.acquireUninterruptibly();
        }
        return real.appendUpdate(docId, update, userId, connectionId, serverTime);
    }

    @Override
    public DocumentInfo createDocument(String docId, String workspaceId, String ownerUserId, String title) {
        return real.createDocument(docId, workspaceId, ownerUserId, title);
    }

    @Override
    public Optional<DocumentInfo> document(String docId) {
        return real.document(docId);
    }

    @Override
    public List<DocumentInfo> documents(String workspaceId) {
        return real.documents(workspaceId);
    }

    @Override
    public DocumentInfo renameDocument(String docId, String title) {
        return real.renameDocument(docId, title);
    }

    @Override
    public boolean deleteDocument(String docId) {
        return real.deleteDocument(docId);
    }

    @Override
    public byte[] loadState(String docId) {
        return real.loadState(docId);
    }

    @Override
    public Pinned pin(String docId) {
        Pinned pinned = real.pin(docId);
        pins.incrementAndGet();
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                pinned.close();
                if (pins.decrementAndGet() == 0) {
                    allReleased.countDown();
                }
            }
        };
    }

    @Override
    public dev.quire.crdt.StateVector stateVector(String docId) {
        return real.stateVector(docId);
    }

    @Override
    public byte[] missingFrom(String docId, byte[] encodedStateVector) {
        return real.missingFrom(docId, encodedStateVector);
    }

    @Override
    public List<HistoryEntry> history(String docId, long afterSeq, int limit) {
        return real.history(docId, afterSeq, limit);
    }

    @Override
    public Optional<HistoryEntry> writerOf(String docId, long clientId, int clock) {
        return real.writerOf(docId, clientId, clock);
    }

    @Override
    public Compaction compact(String docId) {
        return real.compact(docId);
    }

    @Override
    public LogStats logStats(String docId) {
        return real.logStats(docId);
    }

    @Override
    public void close() {
        real.close();
    }
}
