package dev.quire.engine;

import dev.quire.crdt.Doc;
import dev.quire.net.DocumentsApi;
import dev.quire.net.SyncConnection;
import dev.quire.session.AccessToken;
import dev.quire.session.Failures;
import dev.quire.session.Session;
import dev.quire.session.SessionEndedException;
import dev.quire.session.SessionEvent;
import dev.quire.session.SessionListener;
import dev.quire.store.ListChange;
import dev.quire.store.LocalStore;
import dev.quire.store.Profile;
import dev.quire.sync.ConnectionMachine;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One signed-in user: the {@link Session}, the user's local store (their profile's), and the documents open in their
 * windows. What the session says reaches every open document: a new access token is sent in-band on each live
 * connection ({@code renew}); the session's end (sign-out here or in any window, a refresh the server rejects) closes
 * every connection at once, and nothing is sent after it. The outbox stays: signing in again as the same user (a new
 * account on the same engine) sends it.
 */
public final class Account implements AutoCloseable {
    private final ClientEngine engine;
    private final Session session;
    private final Profile profile;
    private final LocalStore store;
    private final List<OpenDocument> open = new CopyOnWriteArrayList<>();
    /** Keeps the server's updates in the store, off the sockets' threads (one writer: the store groups commits). */
    private final ExecutorService storeWriter;
    /** A refresh failed for a transient reason and none has succeeded since ("Session expires soon — renewing"). */
    private volatile boolean renewing;
    /** The document list's changes, made here at once and on the server when it can be reached. */
    private final ListChangeSender listChanges;

    Account(ClientEngine engine, Session session, Profile profile, LocalStore store) {
        this.engine = engine;
        this.session = session;
        this.profile = profile;
        this.store = store;
        this.storeWriter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "quire-store-" + profile.userId());
            t.setDaemon(true);
            return t;
        });
        session.addListener(this::onSessionEvent);
        this.listChanges = new ListChangeSender(store.listChanges(), session.userId(), this::request, engine.loop(),
                engine.backoff(), engine.random());
    }

    public String userId() {
        return session.userId();
    }

    public String userName() {
        return session.userName();
    }

    public Profile profile() {
        return profile;
    }

    /**
     * A valid access token for a request to the server's HTTP API (document list, sharing): asked of the session each
     * time, so it is refreshed when due. Fails once the session has ended.
     */
    public CompletableFuture<String> accessToken() {
        return session.accessToken().thenApply(AccessToken::value);
    }

    /** The documents this user can open (the server's list; needs the server). */
    public CompletableFuture<List<DocumentsApi.DocumentInfo>> documents() {
        return accessToken().thenCompose(token -> engine.documentsApi().list(token));
    }

    /** A new document of this user's, in their default workspace (needs the server). */
    public CompletableFuture<DocumentsApi.DocumentInfo> createDocument(String title) {
        return accessToken().thenCompose(token -> engine.documentsApi().create(token, title));
    }

    /**
     * A new document in a workspace of this user's (null: the default one), made here at once, offline too: it can be
     * opened and edited now, and the server gets it (under the same id) as soon as it can be reached, before its
     * edits. Its title is in the list meanwhile ({@link #listing}).
     */
    public DocumentsApi.DocumentInfo newDocument(String title, String workspaceId) {
        String id = java.util.UUID.randomUUID().toString();
        listChanges.add(ListChange.Kind.CREATE, id, workspaceId, title);
        return new DocumentsApi.DocumentInfo(id, title, "owner", workspaceId == null ? "" : workspaceId);
    }

    /** Renames a document, here at once and on the server when it can be reached (its owner's, or a writer's). */
    public void renameDocument(String docId, String title) {
        listChanges.add(ListChange.Kind.RENAME, docId, null, title);
    }

    /** Deletes a document for everyone, from the list at once and on the server when it can be reached. */
    public void deleteDocument(String docId) {
        listChanges.add(ListChange.Kind.DELETE, docId, null, null);
    }

    /**
     * A new workspace, created here at once (offline too) and on the server when it can be reached, under the id
     * returned; documents can be created in it meanwhile ({@link #newDocument}).
     */
    public DocumentsApi.WorkspaceInfo newWorkspace(String name) {
        String id = java.util.UUID.randomUUID().toString();
        listChanges.add(ListChange.Kind.CREATE_WORKSPACE, id, null, name);
        return new DocumentsApi.WorkspaceInfo(id, name, false);
    }

    /** Renames one of the user's workspaces, here at once and on the server when it can be reached. */
    public void renameWorkspace(String workspaceId, String name) {
        listChanges.add(ListChange.Kind.RENAME_WORKSPACE, workspaceId, null, name);
    }

    /** Sends the queued list changes now; completes when they are sent, or the server cannot be reached. */
    public CompletableFuture<Void> sendListChanges() {
        return listChanges.send();
    }

    /** What the server refused of the queued list changes since the last call, each a sentence to show. */
    public List<String> refusedListChanges() {
        return listChanges.takeRefusals();
    }

    /**
     * A request to the server's document API (sharing, renaming, export…) with a fresh access token from the session.
     * Fails once the session has ended.
     */
    public <T> CompletableFuture<T> request(
            java.util.function.BiFunction<DocumentsApi, String, CompletableFuture<T>> call) {
        return accessToken().thenCompose(token -> call.apply(engine.documentsApi(), token));
    }

    /**
     * The user's workspaces and the documents of one of them ({@code workspaceId}, or null for the default one), as
     * the server lists them; kept in the profile, so that without the server the last list is shown instead
     * ({@link Listing#cached()}).
     */
    public CompletableFuture<Listing> listing(String workspaceId) {
        // the queued changes go first, so that the server's list has them; what is still queued is laid over it
        return listChanges.send().thenCompose(sent -> serverListing(workspaceId)).thenApply(listChanges::overlay);
    }

    private CompletableFuture<Listing> serverListing(String workspaceId) {
        ListingCache cache = new ListingCache(profile.directory());
        return request((api, token) -> api.workspaces(token).thenCompose(spaces -> {
            String ws = workspaceId != null && spaces.stream().anyMatch(w -> w.id().equals(workspaceId))
                    ? workspaceId : spaces.stream().filter(DocumentsApi.WorkspaceInfo::isDefault)
                    .map(DocumentsApi.WorkspaceInfo::id).findFirst().orElse(spaces.get(0).id());
            return api.list(token, ws).thenApply(docs -> new Listing(spaces, ws, docs, false));
        })).thenApply(listing -> {
            cache.save(listing);
            return listing;
        }).exceptionallyCompose(failure -> {
            Throwable cause = Failures.cause(failure);
            if (cause instanceof DocumentsApi.ApiException) {
                return CompletableFuture.failedFuture(cause); // the server answered: its answer stands
            }
            return cache.load(workspaceId)
                    .or(() -> listChanges.queuedWorkspace(workspaceId) // made here: nothing of it is on the server
                            ? cache.load(null).map(l -> new Listing(l.workspaces(), workspaceId, List.of(), true))
                            : Optional.empty())
                    .map(CompletableFuture::completedFuture)
                    .orElseGet(() -> CompletableFuture.failedFuture(cause));
        });
    }

    /**
     * What the document list shows: the workspaces, the one shown and its documents.
     *
     * @param cached        true when the server could not be asked and this is the list kept from last time
     * @param queuedChanges changes made here that the server has not made yet (shown in {@code documents})
     */
    public record Listing(List<DocumentsApi.WorkspaceInfo> workspaces, String workspace,
                          List<DocumentsApi.DocumentInfo> documents, boolean cached, int queuedChanges) {
        public Listing(List<DocumentsApi.WorkspaceInfo> workspaces, String workspace,
                       List<DocumentsApi.DocumentInfo> documents, boolean cached) {
            this(workspaces, workspace, documents, cached, 0);
        }
    }

    /**
     * Writes this profile (every document on this computer, and this user's unsent edits) to one file, to restore on
     * another machine ({@link #restore}).
     */
    public ProfileBackup.Summary backup(java.nio.file.Path file) throws java.io.IOException {
        return ProfileBackup.write(store, profile, file);
    }

    /**
     * Restores a backup of this user on this server: its documents join this computer's, and its unsent edits are
     * queued to be sent when each document opens. A damaged file, or another user's, changes nothing.
     */
    public ProfileBackup.Summary restore(java.nio.file.Path file) throws java.io.IOException,
            ProfileBackup.BackupException {
        ProfileBackup.Summary restored = ProfileBackup.restore(store, profile, file);
        if (restored.listChanges() > 0) {
            listChanges.send(); // documents created offline elsewhere reach the server, and the list
        }
        return restored;
    }

    /** Why the session ended, or empty while signed in. */
    public Optional<SessionEvent.SessionEnded> ended() {
        return session.ended();
    }

    /** Hears the session's events (token refreshed, refresh failed, session ended), on no particular thread. */
    public void addListener(SessionListener listener) {
        session.addListener(listener);
    }

    /**
     * Opens a document in a new window: loads what the store has (so it opens offline), then connects. Each call is
     * its own window with its own connection.
     */
    public OpenDocument open(String docId) {
        return open(docId, Runnable::run, Runnable::run);
    }

    /**
     * As {@link #open(String)} for a window: the server's updates are applied to the document on {@code uiThread}, so
     * that its text and the document change in one order, and local edits are committed to the outbox on the store's
     * writer thread, so typing never waits for the disk (each is still committed before it is sent).
     */
    public OpenDocument open(String docId, java.util.concurrent.Executor uiThread) {
        return open(docId, uiThread, storeWriter);
    }

    private OpenDocument open(String docId, java.util.concurrent.Executor remoteOn,
                              java.util.concurrent.Executor localWrites) {
        OpenDocument[] self = new OpenDocument[1];
        OpenDocument d = new OpenDocument(docId, store, session.userId(), engine.clock(), (id, doc, outbox) -> {
            SyncConnection c = connection(id, doc, outbox);
            c.applyRemoteOn(remoteOn);
            c.writeLocalOn(localWrites);
            return c;
        }, storeWriter, () -> open.remove(self[0]));
        self[0] = d;
        open.add(d);
        d.renewing(renewing);
        // a document created offline connects once the server has it (until then it is offline, its edits queued)
        CompletableFuture<Void> created = listChanges.whenCreated(docId);
        if (created.isDone()) {
            d.connect();
        } else {
            created.thenRunAsync(() -> {
                if (open.contains(d)) {
                    d.connect();
                }
            }, engine.loop());
        }
        return d;
    }

    /** The documents open now. */
    public List<OpenDocument> openDocuments() {
        return List.copyOf(open);
    }

    /** For each document with unsent edits of this user: how many wait ("sign in to send N edits"). */
    public Map<String, Integer> unsentCounts() {
        return store.unsentCounts(session.userId());
    }

    /**
     * Signs out: ends the session in every window at once, then revokes the refresh token on the server (best effort;
     * the future tells whether the server confirmed). Unsent edits stay in the outbox of this user.
     */
    public CompletableFuture<Boolean> signOut() {
        return session.logout();
    }

    /** The operating system reports the network back: every connection tries at once, and the list changes. */
    void networkUp() {
        open.forEach(OpenDocument::networkUp);
        listChanges.send();
    }

    /** The operating system reports the network gone: connections wait offline, without a retry loop. */
    void networkDown() {
        open.forEach(OpenDocument::networkDown);
    }

    /** Closes the windows' connections and ends the session without signing out (the next start resumes it). */
    @Override
    public void close() {
        listChanges.stop();
        for (OpenDocument d : List.copyOf(open)) {
            d.close();
        }
        session.close();
        storeWriter.shutdown();
        try {
            // edits typed just before are committed before the store can close (they wait on this thread)
            storeWriter.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.released(this);
    }

    LocalStore store() {
        return store;
    }

    private SyncConnection connection(String docId, Doc doc, SyncConnection.Outbox outbox) {
        return new SyncConnection(engine.endpoints().syncUrl(docId), engine.endpoints().syncSubprotocol(), doc, outbox,
                tokens, engine.loop(), engine.clock(), new ConnectionMachine(engine.backoff(), engine.random()));
    }

    /** The session, as every connection of this account sees it. */
    private final SyncConnection.Tokens tokens = new SyncConnection.Tokens() {
        @Override
        public CompletableFuture<String> token(String rejected) {
            return Account.this.token(rejected);
        }

        @Override
        public void refused(String code) {
            session.serverRejected(code); // ends it in every window, which closes every other connection too
        }
    };

    /** A connection attempt's token: always asked of the session, never a cached string. */
    private CompletableFuture<String> token(String rejected) {
        CompletableFuture<AccessToken> asked = rejected == null ? session.accessToken()
                : session.tokenAfterRejection(rejected);
        return asked.handle((token, error) -> {
            if (error == null) {
                return token.value();
            }
            Throwable cause = Failures.cause(error);
            if (cause instanceof SessionEndedException) {
                throw new SyncConnection.SessionOver(cause.getMessage());
            }
            throw new CompletionException(cause);
        });
    }

    private void onSessionEvent(SessionEvent event) {
        if (event instanceof SessionEvent.TokenRefreshed refreshed) {
            renewing = false;
            String value = refreshed.token().value();
            open.forEach(d -> {
                d.renewing(false);
                d.renew(value);
            });
        } else if (event instanceof SessionEvent.RefreshFailed) {
            renewing = true;
            open.forEach(d -> d.renewing(true));
        } else if (event instanceof SessionEvent.SessionEnded) {
            open.forEach(OpenDocument::sessionEnded);
        }
    }

    @Override
    public String toString() {
        return "Account[" + profile.userId() + " on " + profile.server() + "]";
    }
}
