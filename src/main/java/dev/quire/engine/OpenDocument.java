package dev.quire.engine;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.net.SyncConnection;
import dev.quire.store.LocalStore;
import dev.quire.sync.ConnectionState;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One document window's document: the {@link Doc} (loaded from the local store, so it opens offline), its own
 * connection, and a {@link DocumentStatus} that listeners hear on no particular thread.
 *
 * <p>Editing: change the document inside {@code synchronized (doc())}, as the connection does when it applies the
 * server's updates. Each change is in the outbox when the change returns.
 */
public final class OpenDocument implements AutoCloseable {
    /** The document's body: the text named "text", as y-websocket's examples and browser editors on it name it. */
    public static final String TEXT = "text";

    /** The origin of the stored state applied on opening: it is not a local edit, so it is not queued again. */
    private static final Object LOADED = new Object();

    private final String id;
    private final Doc doc;
    private final LocalStore store;
    private final String userId;
    private final Clock clock;
    private final SyncConnection connection;
    private final Runnable onClose;
    private final List<Consumer<DocumentStatus>> listeners = new CopyOnWriteArrayList<>();
    private final Object statusLock = new Object();
    // guarded by statusLock
    private DocumentStatus status;
    /** Futures waiting for a status that passes their test ({@link #when}). */
    private record Waiter(Predicate<DocumentStatus> test, CompletableFuture<DocumentStatus> future) {
    }

    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

    OpenDocument(String id, LocalStore store, String userId, Clock clock, ConnectionFactory connections,
                 java.util.concurrent.Executor storeWriter, Runnable onClose) {
        this.id = id;
        this.store = store;
        this.userId = userId;
        this.clock = clock;
        this.onClose = onClose;
        this.doc = new Doc();
        Updates.applyUpdate(doc, store.load(id), LOADED);
        this.status = DocumentStatus.opening(store.unsentCount(id, userId),
                store.syncMetadata(id).map(m -> m.lastSynced()));
        StoreOutbox outbox = new StoreOutbox(store, id, userId, storeWriter, new StoreOutbox.Changes() {
            @Override
            public void queued() {
                update(s -> s.withQueued(s.queued() + 1).withSaveError(Optional.empty()));
            }

            @Override
            public void saveFailed(String why) {
                update(s -> s.withSaveError(Optional.of(why)));
            }

            @Override
            public void synced(int removed) {
                int queued = removed > 0 ? store.unsentCount(id, userId) : -1;
                update(s -> s.withSynced(queued >= 0 ? queued : s.queued(), clock.instant()));
            }
        });
        this.connection = connections.create(id, doc, outbox);
        connection.addListener(snapshot -> update(s -> s.withConnection(snapshot,
                snapshot.state() == ConnectionState.CONNECTED ? Optional.of(clock.instant()) : s.lastSynced())));
        connection.addReadOnlyListener(readOnly -> update(s -> s.withReadOnly(readOnly)));
    }

    /** Makes a document's connection; the account knows the server, the session and the threads. */
    interface ConnectionFactory {
        SyncConnection create(String docId, Doc doc, SyncConnection.Outbox outbox);
    }

    public String id() {
        return id;
    }

    /** The document; change it only inside {@code synchronized (doc())}. */
    public Doc doc() {
        return doc;
    }

    public DocumentStatus status() {
        synchronized (statusLock) {
            return status;
        }
    }

    /** Hears every change of {@link #status()}, on no particular thread; must not block. */
    public void addListener(Consumer<DocumentStatus> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<DocumentStatus> listener) {
        listeners.remove(listener);
    }

    /**
     * Completes with the status once no edit of this user waits in the outbox (at once if none does). It may never
     * complete (offline, signed out): callers put a timeout on it.
     */
    public CompletableFuture<DocumentStatus> drained() {
        return when(s -> s.queued() == 0);
    }

    /**
     * Completes with the first status that passes {@code test}: the current one if it does, else a later one. It may
     * never complete: callers put a timeout on it.
     */
    public CompletableFuture<DocumentStatus> when(Predicate<DocumentStatus> test) {
        Waiter w = new Waiter(test, new CompletableFuture<>());
        waiters.add(w);
        DocumentStatus now = status();
        if (test.test(now) && waiters.remove(w)) {
            w.future().complete(now);
        }
        return w.future();
    }

    /**
     * Sets this window's presence for the others (JSON text: cursor and selection as relative positions, colour), or
     * clears it with null. The server adds the user's id and name; what the client claims there is overwritten.
     */
    public void setPresence(String stateJson) {
        connection.setPresence(stateJson);
    }

    /** The others on this document now, Yjs client id → presence (JSON text); empty while offline. */
    public Map<Long, String> presence() {
        return connection.presence();
    }

    /** Hears every visible change of {@link #presence()}, on no particular thread; must not block. */
    public void addPresenceListener(Consumer<Map<Long, String>> listener) {
        connection.addPresenceListener(listener);
    }

    /** Connects (again): after opening, and after signing in again. */
    void connect() {
        connection.open();
    }

    /** "Retry now": skips the backoff delay. */
    public void retryNow() {
        connection.retryNow();
    }

    /** The operating system reports the network back. */
    void networkUp() {
        connection.networkUp();
    }

    void networkDown() {
        connection.networkDown();
    }

    void renew(String accessToken) {
        connection.renew(accessToken);
    }

    void sessionEnded() {
        connection.sessionEnded();
        update(s -> s.withRenewing(false));
    }

    /** The session's refresh is failing and being retried (true), or succeeded again (false). */
    void renewing(boolean failing) {
        update(s -> s.withRenewing(failing));
    }

    /** Closes the window's connection; what is queued stays in the outbox for next time. */
    @Override
    public void close() {
        connection.close();
        onClose.run();
    }

    private void update(java.util.function.UnaryOperator<DocumentStatus> change) {
        DocumentStatus before;
        DocumentStatus after;
        synchronized (statusLock) {
            before = status;
            after = change.apply(before);
            status = after;
        }
        if (after.equals(before)) {
            return;
        }
        for (Consumer<DocumentStatus> l : listeners) {
            l.accept(after);
        }
        for (Waiter w : waiters) {
            if (w.test().test(after) && waiters.remove(w)) {
                w.future().complete(after);
            }
        }
    }

    @Override
    public String toString() {
        return "OpenDocument[" + id + ", " + status() + "]";
    }
}
