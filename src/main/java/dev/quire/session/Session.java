package dev.quire.session;

import dev.quire.session.SessionEvent.RefreshFailed;
import dev.quire.session.SessionEvent.SessionEnded;
import dev.quire.session.SessionEvent.TokenRefreshed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One signed-in user on one server. {@link #accessToken()} is the only way anybody gets an access token: it checks
 * the token against the clock on every call, so a token that went stale while the machine slept or the clock jumped
 * is refreshed before it is handed out.
 *
 * <p>Refresh: ahead of expiry ({@link RefreshPolicy#margin}), on a timer; or when a caller finds the token due.
 * Whatever starts it, at most one request is out at a time and every caller meanwhile shares its answer (single
 * flight). A transient failure is retried with backoff and full jitter; while the current token is still valid,
 * callers keep getting it, so nobody notices. A rejection ends the session: {@link SessionEnded} goes to every
 * listener once, every later call fails with {@link SessionEndedException}, and nothing is retried.
 *
 * <p>Thread-safe. State changes happen under one lock; requests, the vault and listeners are called outside it.
 */
public final class Session {
    private static final Logger log = LoggerFactory.getLogger(Session.class);

    /**
     * What a session needs from outside: the server's token endpoint, the vault for the refresh token, timers and the
     * clock (both fakes in tests), and randomness for the backoff jitter.
     */
    public record Services(TokenEndpoint endpoint, RefreshTokenVault vault, Scheduler scheduler, Clock clock,
                           RandomGenerator random) {
        public Services {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(vault, "vault");
            Objects.requireNonNull(scheduler, "scheduler");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(random, "random");
        }

        public Services(TokenEndpoint endpoint, RefreshTokenVault vault, Scheduler scheduler, Clock clock) {
            this(endpoint, vault, scheduler, clock, RandomGenerator.getDefault());
        }
    }

    /** One refresh request: the future its callers share, the refresh token it spends, when it was sent. */
    private record Attempt(CompletableFuture<AccessToken> future, String refreshToken, Instant sentAt) {
        @Override
        public String toString() {
            return "Attempt[sentAt=" + sentAt + "]";
        }
    }

    private final Services services;
    /** The user never changes within a session (a refresh is for the same login). */
    private final String userId;
    private final Object lock = new Object();
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();

    // Guarded by lock.
    private AccessToken access;
    private String refreshToken;
    private Attempt inFlight;
    private Scheduler.Timer timer;
    private int failures;
    private SessionEnded ended;
    /**
     * The access token a server refused as expired ({@link #tokenAfterRejection}): never handed out again, whatever
     * the client's clock says (the clocks disagree by a skew, and JWT times are whole seconds).
     */
    private String refusedByServer;

    private Session(Services services, AccessToken access, String refreshToken) {
        this.services = services;
        this.userId = access.userId();
        this.access = access;
        this.refreshToken = refreshToken;
    }

    /**
     * Signs in with the password grant (RFC 6749 §4.3). Fails with a {@link TokenEndpointException}: {@code REJECTED}
     * for a wrong user name or password, {@code TRANSIENT} when the server cannot be reached.
     */
    public static CompletableFuture<Session> login(Services services, String user, char[] password) {
        Instant sentAt = services.clock().instant();
        return call(() -> services.endpoint().password(user, password))
                .thenApply(grant -> start(services, grant, sentAt, "password"));
    }

    /**
     * Resumes the session whose refresh token is in the vault (a refresh grant, so the stored token rotates). A
     * rejected token is cleared from the vault and the future fails with a {@code REJECTED} {@link
     * TokenEndpointException}: sign in again. A transient failure keeps it, to try again later.
     *
     * @throws IllegalStateException (in the future) when the vault holds no token
     */
    public static CompletableFuture<Session> resume(Services services) {
        Optional<String> stored;
        try {
            stored = services.vault().load();
        } catch (VaultException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (stored.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("no stored session to resume: sign in"));
        }
        Instant sentAt = services.clock().instant();
        return call(() -> services.endpoint().refresh(stored.get())).handle((grant, error) -> {
            if (error != null) {
                Throwable cause = Failures.cause(error);
                if (cause instanceof TokenEndpointException te && te.kind() == TokenEndpointException.Kind.REJECTED) {
                    clearQuietly(services.vault());
                }
                throw new CompletionException(cause);
            }
            return start(services, grant, sentAt, "refresh");
        });
    }

    /**
     * Resumes the stored session without waiting for the server: the refresh token from the vault, and no access token
     * yet. The first refresh is tried at once and then with backoff, and every token request tries too (single
     * flight), so connections come up as soon as the server answers; until then they fail transiently ({@link
     * TokenUnavailableException}) and the user works offline, signed in. A rejection ends the session as usual.
     *
     * @param userId   the profile's user (the server's {@code sub} when it signed in)
     * @param userName shown until the first token brings the server's
     * @throws IllegalStateException when the vault holds no token
     */
    public static Session resumeOffline(Services services, String userId, String userName) {
        String stored = services.vault().load()
                .orElseThrow(() -> new IllegalStateException("no stored session to resume: sign in"));
        // expired since the epoch: never handed out, and due for a refresh at once
        AccessToken none = new AccessToken("", userId, userName, Instant.EPOCH, Duration.ZERO, Duration.ZERO);
        Session session = new Session(services, none, stored);
        synchronized (session.lock) {
            session.scheduleRefreshLocked();
        }
        log.atInfo().addKeyValue("user", userId).log("resumed offline; signing in again when the server answers");
        return session;
    }

    private static Session start(Services services, TokenGrant grant, Instant sentAt, String how) {
        AccessToken token;
        try {
            token = JwtTimes.read(grant, sentAt);
        } catch (TokenEndpointException e) {
            // Unusable answer: give the login back rather than leave it open on the server.
            revokeQuietly(services.endpoint(), grant.refreshToken());
            throw e;
        }
        storeQuietly(services.vault(), grant.refreshToken());
        Session session = new Session(services, token, grant.refreshToken());
        synchronized (session.lock) {
            session.scheduleRefreshLocked();
        }
        log.atInfo().addKeyValue("user", token.userId()).addKeyValue("grant", how)
                .addKeyValue("lifetime", token.lifetime()).addKeyValue("skew", token.skew()).log("signed in");
        return session;
    }

    /**
     * A valid access token: the current one while it is fresh, else the answer of a refresh (started now, or the one
     * already under way). Fails with {@link SessionEndedException} once the session has ended, and with {@link
     * TokenUnavailableException} when the token has expired and the server cannot be reached (still signed in: ask
     * again later). Never blocks.
     */
    public CompletableFuture<AccessToken> accessToken() {
        Attempt attempt;
        synchronized (lock) {
            if (ended != null) {
                return CompletableFuture.failedFuture(new SessionEndedException(ended));
            }
            Instant now = services.clock().instant();
            if (now.isBefore(RefreshPolicy.refreshAt(access)) && !refusedLocked()) {
                return CompletableFuture.completedFuture(access);
            }
            if (inFlight != null) {
                return inFlight.future().copy();
            }
            if (failures > 0 && usableLocked(now)) {
                // A retry is scheduled after a transient failure; the token still works, so use it until then
                // rather than bypass the backoff.
                return CompletableFuture.completedFuture(access);
            }
            // Due (the timer is late or the clock jumped), or expired with the server unreachable: try now.
            attempt = startAttemptLocked();
        }
        launch(attempt);
        return attempt.future().copy();
    }

    /**
     * A token to use after the server refused {@code rejected} as expired (a sync connection's 1008
     * {@code TOKEN_EXPIRED}), when the client's clock still thought it fresh: refreshes now, unless the current token
     * is already another one (refreshed since; every window whose connection was closed for the same token then
     * shares one refresh), or a refresh is under way. Fails as {@link #accessToken()} does.
     */
    public CompletableFuture<AccessToken> tokenAfterRejection(String rejected) {
        Attempt attempt;
        synchronized (lock) {
            if (ended != null) {
                return CompletableFuture.failedFuture(new SessionEndedException(ended));
            }
            if (!access.value().equals(rejected)) {
                return CompletableFuture.completedFuture(access);
            }
            refusedByServer = rejected; // if the refresh fails, this token must not be handed out again
            if (inFlight != null) {
                return inFlight.future().copy();
            }
            attempt = startAttemptLocked();
        }
        launch(attempt);
        return attempt.future().copy();
    }

    /** The signed-in user's id (the token's {@code sub}). */
    public String userId() {
        return userId;
    }

    /** The signed-in user's name (the token's {@code name}). */
    public String userName() {
        synchronized (lock) {
            return access.userName();
        }
    }

    /** Why the session ended, or empty while it is active. */
    public Optional<SessionEnded> ended() {
        synchronized (lock) {
            return Optional.ofNullable(ended);
        }
    }

    /**
     * Adds a listener. Every listener hears {@link SessionEnded} exactly once: one added after the end hears it at
     * once, on the calling thread.
     */
    public void addListener(SessionListener listener) {
        Objects.requireNonNull(listener, "listener");
        SessionEnded already;
        synchronized (lock) {
            listeners.add(listener);
            already = ended;
        }
        if (already != null) {
            deliver(listener, already);
        }
    }

    public void removeListener(SessionListener listener) {
        listeners.remove(listener);
    }

    /**
     * Logs out: ends the session at once ({@link SessionEvent.Reason#LOGGED_OUT}), forgets the refresh token locally,
     * then revokes it on the server (RFC 7009), best effort. The future tells whether the server confirmed the
     * revocation; it never fails (offline, the login simply expires on the server).
     */
    public CompletableFuture<Boolean> logout() {
        String spent = end(new SessionEnded(SessionEvent.Reason.LOGGED_OUT, null));
        if (spent == null) {
            return CompletableFuture.completedFuture(false);
        }
        return revokeQuietly(services.endpoint(), spent);
    }

    /**
     * The server refused this session's access token outright on a connection ({@code TOKEN_INVALID}, {@code
     * USER_NOT_FOUND}, {@code AUTH_REQUIRED}): the session ends as if a refresh had been rejected, in every window,
     * with {@code code} as the error, and the refresh token is forgotten.
     */
    public void serverRejected(String code) {
        end(new SessionEnded(SessionEvent.Reason.REJECTED, code));
    }

    /**
     * Ends the session without logging out ({@link SessionEvent.Reason#CLOSED}): timers stop, the refresh token stays
     * in the vault so that the next start can {@link #resume}.
     */
    public void close() {
        end(new SessionEnded(SessionEvent.Reason.CLOSED, null));
    }

    // ---- refresh ----

    private Attempt startAttemptLocked() {
        cancelTimerLocked();
        inFlight = new Attempt(new CompletableFuture<>(), refreshToken, services.clock().instant());
        return inFlight;
    }

    /** Sends the request outside the lock: an endpoint may complete its future on the calling thread. */
    private void launch(Attempt attempt) {
        call(() -> services.endpoint().refresh(attempt.refreshToken()))
                .whenComplete((grant, error) -> finish(attempt, grant, error));
    }

    /** The timer's task: the proactive refresh, or a retry after a transient failure. */
    private void refreshFromTimer() {
        Attempt attempt;
        synchronized (lock) {
            timer = null;
            if (ended != null || inFlight != null) {
                return;
            }
            attempt = startAttemptLocked();
        }
        launch(attempt);
    }

    private void finish(Attempt attempt, TokenGrant grant, Throwable error) {
        if (error == null) {
            AccessToken token;
            try {
                token = JwtTimes.read(grant, attempt.sentAt());
            } catch (TokenEndpointException unreadable) {
                // The server rotated the refresh token even though its access token is unusable: keep the new one.
                storeQuietly(services.vault(), grant.refreshToken());
                synchronized (lock) {
                    refreshToken = grant.refreshToken();
                }
                failed(attempt, unreadable);
                return;
            }
            succeeded(attempt, grant, token);
            return;
        }
        Throwable cause = Failures.cause(error);
        TokenEndpointException te = cause instanceof TokenEndpointException e ? e
                : new TokenEndpointException(TokenEndpointException.Kind.TRANSIENT, 0, null,
                        "the token endpoint failed: " + cause.getClass().getSimpleName(), cause);
        if (te.kind() == TokenEndpointException.Kind.REJECTED) {
            log.atWarn().addKeyValue("user", userId).addKeyValue("status", te.status())
                    .addKeyValue("error", te.error()).log("the server rejected the refresh token");
            end(new SessionEnded(SessionEvent.Reason.REJECTED, te.error()));
        } else {
            failed(attempt, te);
        }
    }

    private void succeeded(Attempt attempt, TokenGrant grant, AccessToken token) {
        // RFC 6749 §10.4: the refresh token just spent is dead on the server. The new one goes to the vault first,
        // so that a crash from here on leaves the live token stored, never the spent one or none.
        storeQuietly(services.vault(), grant.refreshToken());
        SessionEnded endedMeanwhile;
        synchronized (lock) {
            endedMeanwhile = ended;
            if (endedMeanwhile == null) {
                access = token;
                refreshToken = grant.refreshToken();
                failures = 0;
                inFlight = null;
                scheduleRefreshLocked();
            }
        }
        if (endedMeanwhile != null) {
            // Logged out while the request was out: the new token must not outlive the session.
            if (endedMeanwhile.reason() != SessionEvent.Reason.CLOSED) {
                clearQuietly(services.vault());
                revokeQuietly(services.endpoint(), grant.refreshToken());
            }
            attempt.future().completeExceptionally(new SessionEndedException(endedMeanwhile));
            return;
        }
        attempt.future().complete(token);
        log.atInfo().addKeyValue("user", token.userId()).addKeyValue("lifetime", token.lifetime())
                .addKeyValue("skew", token.skew()).log("access token refreshed");
        emit(new TokenRefreshed(token));
    }

    private void failed(Attempt attempt, TokenEndpointException error) {
        Duration delay;
        AccessToken current;
        boolean valid;
        int count;
        synchronized (lock) {
            if (ended != null) {
                return; // end() failed the callers already
            }
            count = ++failures;
            delay = RefreshPolicy.backoff(count, services.random());
            inFlight = null;
            cancelTimerLocked();
            timer = services.scheduler().schedule(this::refreshFromTimer, delay);
            current = access;
            valid = usableLocked(services.clock().instant());
        }
        if (valid) {
            attempt.future().complete(current);
        } else {
            attempt.future().completeExceptionally(new TokenUnavailableException("the access token has expired and "
                    + "the server cannot refresh it now (" + error.getMessage() + "); still signed in, retrying", error));
        }
        log.atWarn().addKeyValue("user", current.userId()).addKeyValue("failures", count)
                .addKeyValue("status", error.status()).addKeyValue("retryIn", delay).addKeyValue("tokenValid", valid)
                .log("token refresh failed, will retry");
        emit(new RefreshFailed(count, error.status(), delay, valid));
    }

    /** Whether the current token may still be handed out: valid by the client's clock and not refused by a server. */
    private boolean usableLocked(Instant now) {
        return access.validAt(now) && !refusedLocked();
    }

    private boolean refusedLocked() {
        return access.value().equals(refusedByServer);
    }

    private void scheduleRefreshLocked() {
        cancelTimerLocked();
        Duration delay = Duration.between(services.clock().instant(), RefreshPolicy.refreshAt(access));
        timer = services.scheduler().schedule(this::refreshFromTimer, delay.isNegative() ? Duration.ZERO : delay);
    }

    private void cancelTimerLocked() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /** Ends the session once. Returns the refresh token it held, or null when it had ended already. */
    private String end(SessionEnded reason) {
        Attempt pending;
        String spent;
        List<SessionListener> toNotify;
        synchronized (lock) {
            if (ended != null) {
                return null;
            }
            ended = reason;
            cancelTimerLocked();
            pending = inFlight;
            inFlight = null;
            spent = refreshToken;
            // Snapshot under the lock: a listener added from now on hears it in addListener, so everyone hears it once.
            toNotify = List.copyOf(listeners);
        }
        if (reason.reason() != SessionEvent.Reason.CLOSED) {
            clearQuietly(services.vault());
        }
        if (pending != null) {
            pending.future().completeExceptionally(new SessionEndedException(reason));
        }
        log.atInfo().addKeyValue("user", userId).addKeyValue("reason", reason.reason())
                .addKeyValue("error", reason.error()).log("session ended");
        for (SessionListener l : toNotify) {
            deliver(l, reason);
        }
        return spent;
    }

    // ---- helpers ----

    private void emit(SessionEvent event) {
        for (SessionListener l : listeners) {
            deliver(l, event);
        }
    }

    private static void deliver(SessionListener listener, SessionEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("event", event.getClass().getSimpleName())
                    .addKeyValue("exception", e.getClass().getName()).log("a session listener failed");
        }
    }

    private static void storeQuietly(RefreshTokenVault vault, String token) {
        try {
            vault.store(token);
        } catch (VaultException e) {
            // The session goes on with the token in memory; only resuming after a restart is lost.
            log.atWarn().addKeyValue("vault", vault).addKeyValue("problem", e.getMessage())
                    .log("could not store the refresh token; this session will not resume after a restart");
        }
    }

    private static void clearQuietly(RefreshTokenVault vault) {
        try {
            vault.clear();
        } catch (VaultException e) {
            log.atWarn().addKeyValue("vault", vault).addKeyValue("problem", e.getMessage())
                    .log("could not forget the refresh token (it is no longer valid on the server)");
        }
    }

    private static CompletableFuture<Boolean> revokeQuietly(TokenEndpoint endpoint, String token) {
        return call(() -> endpoint.revoke(token)).handle((ok, error) -> {
            if (error != null) {
                Throwable cause = Failures.cause(error);
                log.atInfo().addKeyValue("problem", cause instanceof TokenEndpointException te
                        ? "status " + te.status() : cause.getClass().getSimpleName())
                        .log("could not revoke the refresh token on the server; forgotten locally");
                return false;
            }
            return true;
        });
    }

    /** An endpoint call whose synchronous exceptions become a failed future. */
    private static <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> request) {
        try {
            return Objects.requireNonNull(request.get(), "the endpoint returned no future");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "Session[user=" + userId + (ended == null ? ", active" : ", ended " + ended.reason())
                    + ", failures=" + failures + "]";
        }
    }
}
