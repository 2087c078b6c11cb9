package dev.quire.engine;

import dev.quire.crdt.Doc;
import dev.quire.net.DocumentsApi;
import dev.quire.net.SyncConnection;
import dev.quire.session.AccessToken;
import dev.quire.session.Session;
import dev.quire.session.SessionEndedException;
import dev.quire.session.SessionEvent;
import dev.quire.session.SessionListener;
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
        OpenDocument[] self = new OpenDocument[1];
        OpenDocument d = new OpenDocument(docId, store, session.userId(), engine.clock(), this::connection,
                storeWriter, () -> open.remove(self[0]));
        self[0] = d;
        open.add(d);
        d.connect();
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

    /** The operating system reports the network back: every connection tries at once. */
    void networkUp() {
        open.forEach(OpenDocument::networkUp);
    }

    /** The operating system reports the network gone: connections wait offline, without a retry loop. */
    void networkDown() {
        open.forEach(OpenDocument::networkDown);
    }

    /** Closes the windows' connections and ends the session without signing out (the next start resumes it). */
    @Override
    public void close() {
        for (OpenDocument d : List.copyOf(open)) {
            d.close();
        }
        session.close();
        storeWriter.shutdown();
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
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof SessionEndedException) {
                throw new SyncConnection.SessionOver(cause.getMessage());
            }
            throw new CompletionException(cause);
        });
    }

    private void onSessionEvent(SessionEvent event) {
        if (event instanceof SessionEvent.TokenRefreshed refreshed) {
            String value = refreshed.token().value();
            open.forEach(d -> d.renew(value));
        } else if (event instanceof SessionEvent.SessionEnded) {
            open.forEach(OpenDocument::sessionEnded);
        }
    }

    @Override
    public String toString() {
        return "Account[" + profile.userId() + " on " + profile.server() + "]";
    }
}
