package dev.quire.engine;

import dev.quire.net.SyncConnection;
import dev.quire.store.LocalStore;
import dev.quire.store.LocalStoreException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One window's view of the local store: its local updates go to the user's outbox (committed before they are sent),
 * the server's acks take them out, and the server's updates are kept for offline use. Tells {@link OpenDocument}
 * after each change, so its status shows the right count.
 */
final class StoreOutbox implements SyncConnection.Outbox {
    private static final Logger log = LoggerFactory.getLogger(StoreOutbox.class);

    /** What the outbox tells its document about. */
    interface Changes {
        /** An edit entered the outbox. */
        void queued();

        /** An edit could not be saved (full disk, read-only folder): it lives in memory and goes out when it can. */
        void saveFailed(String why);

        /** The server's word took entries out of the outbox, or brought an update. */
        void synced(int removed);
    }

    private final LocalStore store;
    private final String docId;
    private final String userId;
    private final Executor writer;
    private final Changes changes;

    StoreOutbox(LocalStore store, String docId, String userId, Executor writer, Changes changes) {
        this.store = store;
        this.docId = docId;
        this.userId = userId;
        this.writer = writer;
        this.changes = changes;
    }

    @Override
    public long local(byte[] update) {
        long seq;
        try {
            seq = store.appendLocal(docId, userId, update).seq();
        } catch (LocalStoreException e) {
            // Nothing of it was written (the store's promise). The edit stays in the document, in memory; sending it
            // is now its best chance, and any later sync exchange carries it too.
            log.atError().addKeyValue("doc", docId).addKeyValue("error", e.getMessage()).log("could not save an edit");
            changes.saveFailed(e.getMessage());
            return 0;
        }
        changes.queued();
        return seq;
    }

    @Override
    public Pending pending() {
        return store.mergedOutbox(docId, userId).map(m -> new Pending(m.update(), m.lastSeq())).orElse(null);
    }

    @Override
    public void acknowledged(long clientId, long clock) {
        changes.synced(store.acknowledged(docId, clientId, clock));
    }

    @Override
    public void storedThrough(long seq) {
        changes.synced(store.acknowledgedThrough(docId, userId, seq));
    }

    @Override
    public void received(byte[] update) {
        // a remote update is the server's to give again, so a lost write costs a re-fetch
        inBackground("could not keep a received update; the next sync fetches it again",
                () -> store.appendRemote(docId, update));
    }

    @Override
    public void serverState(byte[] stateVector) {
        inBackground("could not record the sync time", () -> store.markSynced(docId, stateVector));
    }

    /**
     * Store work the socket's thread need not wait for, on the account's writer; a failure is logged with {@code
     * failure} (nothing the user typed is at stake), and the document hears of the sync either way.
     */
    private void inBackground(String failure, Runnable work) {
        try {
            writer.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log.atWarn().addKeyValue("doc", docId).addKeyValue("error", e.getMessage()).log(failure);
                }
                changes.synced(0);
            });
        } catch (RejectedExecutionException closing) {
            // the account is closing: the server keeps what this was about, the next sync brings it
        }
    }
}
