package dev.quire.engine;

import dev.quire.net.DocumentsApi;
import dev.quire.net.DocumentsApi.DocumentInfo;
import dev.quire.net.DocumentsApi.WorkspaceInfo;
import dev.quire.session.Failures;
import dev.quire.session.SessionEndedException;
import dev.quire.store.ListChange;
import dev.quire.store.ListChange.Kind;
import dev.quire.store.ListChangeQueue;
import dev.quire.sync.Backoff;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Sends one user's queued list changes ({@link ListChangeQueue}) to the server in the order they were made, one run
 * at a time. A change leaves the queue when the server made it, or refused it (then the refusal is kept for the list
 * to show); when the server cannot be reached the run stops where it is and tries again after the engine's backoff,
 * as a connection would. Until then, {@link #overlay} shows the changes over the list kept from the server.
 *
 * <p>A document created offline has its id from the start (a random UUID; the server takes it, ADR 0010), so its
 * window and its edits use that id at once; its connection waits for {@link #whenCreated}.
 */
final class ListChangeSender {
    /** A request to the server's document API with a fresh access token ({@link Account#request}). */
    interface Server {
        <T> CompletableFuture<T> request(BiFunction<DocumentsApi, String, CompletableFuture<T>> call);
    }

    private final ListChangeQueue queue;
    private final String userId;
    private final Server server;
    private final ScheduledExecutorService loop;
    private final Backoff backoff;
    private final RandomGenerator random;
    /** Guarded by this: the run under way (or the last one), each new run after it. */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    /** Guarded by this: failed runs in a row, for the backoff; whether a retry is scheduled. */
    private int failures;
    private boolean retryScheduled;
    /** Guarded by this: windows of documents created offline, waiting for their create to reach the server. */
    private final Map<String, CompletableFuture<Void>> created = new HashMap<>();
    /** Guarded by this: what the server refused since the list last asked. */
    private final List<String> refusals = new ArrayList<>();
    private volatile boolean stopped;

    ListChangeSender(ListChangeQueue queue, String userId, Server server, ScheduledExecutorService loop,
                     Backoff backoff, RandomGenerator random) {
        this.queue = queue;
        this.userId = userId;
        this.server = server;
        this.loop = loop;
        this.backoff = backoff;
        this.random = random;
    }

    /** Queues a change (committed when this returns) and starts sending. */
    void add(Kind kind, String docId, String workspaceId, String title) {
        queue.add(userId, kind, docId, workspaceId, title);
        send();
    }

    /** Sends what is queued, after any run under way; completes when this run stops (sent all, or cannot reach). */
    synchronized CompletableFuture<Void> send() {
        tail = tail.handle((ok, error) -> null).thenCompose(ignored -> run());
        return tail;
    }

    /** Completes once the document's queued create reached the server; at once if none is queued. */
    synchronized CompletableFuture<Void> whenCreated(String docId) {
        boolean queued = queue.pending(userId).stream()
                .anyMatch(c -> c.kind() == Kind.CREATE && c.docId().equals(docId));
        if (!queued) {
            return CompletableFuture.completedFuture(null);
        }
        return created.computeIfAbsent(docId, id -> new CompletableFuture<>());
    }

    /** What the server refused since the last call (each a sentence for the list to show). */
    synchronized List<String> takeRefusals() {
        List<String> out = List.copyOf(refusals);
        refusals.clear();
        return out;
    }

    /** Whether a workspace with this id was created here and its create waits for the server. */
    boolean queuedWorkspace(String workspaceId) {
        return workspaceId != null && queue.pending(userId).stream()
                .anyMatch(c -> c.kind() == Kind.CREATE_WORKSPACE && c.docId().equals(workspaceId));
    }

    /** The listing with the queued changes made on it, in order: what the list will be once they are sent. */
    Account.Listing overlay(Account.Listing listing) {
        List<ListChange> pending = queue.pending(userId);
        if (pending.isEmpty()) {
            return listing;
        }
        String defaultWorkspace = listing.workspaces().stream().filter(WorkspaceInfo::isDefault)
                .map(WorkspaceInfo::id).findFirst().orElse(null);
        List<WorkspaceInfo> spaces = new ArrayList<>(listing.workspaces());
        List<DocumentInfo> docs = new ArrayList<>(listing.documents());
        for (ListChange c : pending) {
            int at = indexOf(docs, DocumentInfo::id, c.docId());
            int space = indexOf(spaces, WorkspaceInfo::id, c.docId());
            switch (c.kind()) {
                case CREATE_WORKSPACE -> {
                    if (space < 0) {
                        spaces.add(new WorkspaceInfo(c.docId(), c.title(), false));
                    }
                }
                case RENAME_WORKSPACE -> {
                    if (space >= 0) {
                        spaces.set(space, new WorkspaceInfo(c.docId(), c.title(), spaces.get(space).isDefault()));
                    }
                }
                case CREATE -> {
                    String ws = c.workspaceId() != null ? c.workspaceId() : defaultWorkspace;
                    if (at < 0 && listing.workspace().equals(ws)) {
                        docs.add(new DocumentInfo(c.docId(), c.title(), "owner", ws));
                    }
                }
                case RENAME -> {
                    if (at >= 0) {
                        DocumentInfo d = docs.get(at);
                        docs.set(at, new DocumentInfo(d.id(), c.title(), d.role(), d.workspace()));
                    }
                }
                case DELETE -> {
                    if (at >= 0) {
                        docs.remove(at);
                    }
                }
            }
        }
        return new Account.Listing(spaces, listing.workspace(), docs, listing.cached(), pending.size());
    }


    /** No more runs or retries (the account closes; the queue stays for next time). */
    void stop() {
        stopped = true;
    }

    /** Where the item with this id is in the list, or -1. */
    private static <T> int indexOf(List<T> items, Function<T, String> idOf, String id) {
        for (int i = 0; i < items.size(); i++) {
            if (idOf.apply(items.get(i)).equals(id)) {
                return i;
            }
        }
        return -1;
    }


    /** One run: the queued changes in order, each after the last one's answer. */
    private CompletableFuture<Void> run() {
        if (stopped) {
            return CompletableFuture.completedFuture(null);
        }
        return next(queue.pending(userId), 0);
    }

    private CompletableFuture<Void> next(List<ListChange> pending, int i) {
        if (i == pending.size()) {
            synchronized (this) {
                failures = 0;
            }
            return CompletableFuture.completedFuture(null);
        }
        ListChange c = pending.get(i);
        return server.request((api, token) -> make(api, token, c)).handle((ok, error) -> {
            if (error == null) {
                done(c, null);
                return true;
            }
            Throwable cause = Failures.cause(error);
            if (cause instanceof DocumentsApi.ApiException refused) {
                boolean goneAlready = refused.code().equals("NOT_FOUND") && c.kind() != Kind.CREATE
                        && c.kind() != Kind.CREATE_WORKSPACE;
                done(c, goneAlready ? null : refusal(c, refused));
                return true;
            }
            if (!(cause instanceof SessionEndedException)) {
                retryLater(); // the server cannot be reached: the rest waits, in order
            }
            return false;
        }).thenCompose(goOn -> goOn ? next(pending, i + 1) : CompletableFuture.completedFuture(null));
    }

    private static CompletableFuture<?> make(DocumentsApi api, String token, ListChange c) {
        return switch (c.kind()) {
            case CREATE -> api.create(token, c.title(), c.workspaceId(), c.docId());
            case RENAME -> api.rename(token, c.docId(), c.title());
            case DELETE -> api.delete(token, c.docId());
            case CREATE_WORKSPACE -> api.createWorkspace(token, c.title(), c.docId());
            case RENAME_WORKSPACE -> api.renameWorkspace(token, c.docId(), c.title());
        };
    }

    private static String refusal(ListChange c, DocumentsApi.ApiException why) {
        String what = switch (c.kind()) {
            case CREATE -> "create “" + c.title() + "”";
            case RENAME -> "rename a document to “" + c.title() + "”";
            case DELETE -> "delete a document";
            case CREATE_WORKSPACE -> "create the workspace “" + c.title() + "”";
            case RENAME_WORKSPACE -> "rename a workspace to “" + c.title() + "”";
        };
        return "The server did not " + what + ": " + why.getMessage();
    }

    /** The change is made (refusal null) or refused: it leaves the queue, and a window waiting for it hears. */
    private void done(ListChange c, String refusal) {
        queue.remove(c);
        CompletableFuture<Void> waiting;
        synchronized (this) {
            if (refusal != null) {
                refusals.add(refusal);
            }
            waiting = c.kind() == Kind.CREATE ? created.remove(c.docId()) : null;
        }
        if (waiting != null) {
            if (refusal == null) {
                waiting.complete(null);
            } else {
                waiting.completeExceptionally(new IllegalStateException(refusal));
            }
        }
    }

    private void retryLater() {
        long delay;
        synchronized (this) {
            failures++;
            if (retryScheduled || stopped) {
                return;
            }
            retryScheduled = true;
            delay = backoff.delay(failures - 1, random).toMillis();
        }
        loop.schedule(() -> {
            synchronized (this) {
                retryScheduled = false;
            }
            send();
        }, delay, TimeUnit.MILLISECONDS);
    }
}
