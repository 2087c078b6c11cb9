package dev.quire.session;

import static dev.quire.session.SessionFixture.await;
import static dev.quire.session.SessionFixture.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.session.SessionEvent.RefreshFailed;
import dev.quire.session.SessionEvent.SessionEnded;
import dev.quire.session.SessionEvent.TokenRefreshed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session against the real server (issue 6 "Session service"), with a {@link FaultProxy} for the network and a
 * {@link ManualScheduler} on a test clock: 15-minute tokens, so the refresh is due 90 s before expiry (10 %).
 */
class SessionTest {
    private static final Duration DUE = Duration.ofMinutes(15).minusSeconds(90);

    @TempDir
    Path dir;
    SessionFixture f;

    @BeforeEach
    void start() {
        f = new SessionFixture(dir, c -> c);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void loginGivesAFreshTokenAndNoFurtherRequestWhileItIsFresh() {
        Session s = f.login();
        AccessToken first = await(s.accessToken());
        f.scheduler.advance(DUE.minusSeconds(1));
        AccessToken again = await(s.accessToken());

        assertEquals(first.value(), again.value());
        assertEquals(f.userId, s.userId());
        assertEquals(SessionFixture.USER, s.userName());
        assertEquals(Duration.ofMinutes(15), first.lifetime());
        assertEquals(Duration.ZERO, first.skew());
        assertEquals(SessionFixture.START.plus(Duration.ofMinutes(15)), first.expiresAt());
        assertEquals(1, f.proxy.passwordRequests.get());
        assertEquals(0, f.proxy.refreshRequests.get());
        assertTrue(f.vault.load().isPresent(), "the refresh token rests in the vault");
    }

    @Test
    void refreshesAheadOfExpiryOnTheTimerAndStoresTheRotatedTokenBeforeAnnouncingIt() {
        List<String> order = new CopyOnWriteArrayList<>();
        RefreshTokenVault recording = new RecordingVault(f.vault, order);
        Session s = await(Session.login(f.services(recording), SessionFixture.USER,
                SessionFixture.PASSWORD.toCharArray()));
        SessionFixture.Events events = new SessionFixture.Events();
        s.addListener(e -> order.add("event " + e.getClass().getSimpleName()));
        s.addListener(events);
        String firstRefresh = f.vault.load().orElseThrow();
        AccessToken first = await(s.accessToken());

        assertEquals(SessionFixture.START.plus(DUE), f.scheduler.nextDue(), "90 s (10 % of 15 min) before expiry");
        f.scheduler.advance(DUE);
        AccessToken second = events.next(TokenRefreshed.class).token();

        assertEquals(1, f.proxy.refreshRequests.get());
        assertNotEquals(first.value(), second.value());
        assertEquals(second.value(), await(s.accessToken()).value());
        String secondRefresh = f.vault.load().orElseThrow();
        assertNotEquals(firstRefresh, secondRefresh);
        // RFC 6749 §10.4 rotation: the new token was stored before the session moved on, never cleared in between
        assertEquals(List.of("store", "store", "event TokenRefreshed"), order);
        assertEquals(400, f.refreshAtServer(firstRefresh), "the old refresh token is spent");
        assertEquals(SessionFixture.START.plus(DUE).plus(DUE), f.scheduler.nextDue(), "the next refresh is planned");
        s.close();
    }

    @Test
    void afterAClockJumpTheNextCallerGetsARefreshedTokenNotTheStaleOne() {
        Session s = f.login();
        AccessToken before = await(s.accessToken());
        f.jump(Duration.ofHours(3)); // asleep: no timer ran

        AccessToken after = await(s.accessToken());

        assertNotEquals(before.value(), after.value());
        assertTrue(after.validAt(f.clock.instant()));
        assertEquals(f.clock.instant().plus(Duration.ofMinutes(15)), after.expiresAt());
        assertEquals(1, f.proxy.refreshRequests.get());
        s.close();
    }

    @Test
    void aTokenTheServerRefusedIsNeverHandedOutAgainEvenWhenTheRefreshFailsAndTheClockCallsItValid() {
        Session s = f.login();
        AccessToken refused = await(s.accessToken()); // valid by the client's clock; the server says expired
        f.proxy.mode(FaultProxy.Mode.UNAVAILABLE);
        assertInstanceOf(TokenUnavailableException.class, failure(s.tokenAfterRejection(refused.value())));
        assertInstanceOf(TokenUnavailableException.class, failure(s.accessToken()),
                "not the refused token, although the client's clock still finds it fresh");
        f.proxy.mode(FaultProxy.Mode.FORWARD);
        AccessToken fresh = await(s.accessToken());
        assertNotEquals(refused.value(), fresh.value());
        assertTrue(s.ended().isEmpty(), "still signed in throughout");
        s.close();
    }

    @Test
    void aTokenTheServerRejectedIsRefreshedOnceHoweverManyConnectionsReportIt() throws Exception {
        Session s = f.login();
        AccessToken rejected = await(s.accessToken()); // fresh on the client's clock, expired on the server's
        f.proxy.hold();
        List<CompletableFuture<AccessToken>> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(s.tokenAfterRejection(rejected.value())); // five windows closed with TOKEN_EXPIRED
        }
        f.proxy.awaitHeld(1);
        f.proxy.release();
        Set<String> values = answers.stream().map(t -> await(t).value()).collect(Collectors.toSet());
        assertEquals(1, values.size());
        assertNotEquals(rejected.value(), values.iterator().next());
        assertEquals(1, f.proxy.refreshRequests.get());

        // a late report about the old token gets the new one, with no request
        assertEquals(values.iterator().next(), await(s.tokenAfterRejection(rejected.value())).value());
        assertEquals(1, f.proxy.refreshRequests.get());
        s.close();
    }

    @Test
    void fiftyConcurrentCallersDuringARefreshShareOneRequest() throws Exception {
        Session s = f.login();
        double grantsBefore = f.serverRefreshGrants();
        f.jump(DUE);
        f.proxy.hold();
        int callers = 50;
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<CompletableFuture<AccessToken>>> calls = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return s.accessToken();
            }, runnable -> new Thread(runnable).start()));
        }
        go.countDown();
        List<CompletableFuture<AccessToken>> tokens = new ArrayList<>();
        for (var c : calls) {
            tokens.add(c.get(10, TimeUnit.SECONDS)); // every caller asked while the request was held
        }
        f.proxy.awaitHeld(1);
        assertTrue(tokens.stream().noneMatch(CompletableFuture::isDone), "nobody got the stale token");
        f.proxy.release();

        Set<String> values = tokens.stream().map(t -> await(t).value()).collect(Collectors.toSet());
        assertEquals(1, values.size());
        assertEquals(1, f.proxy.refreshRequests.get());
        assertEquals(grantsBefore + 1, f.serverRefreshGrants(), "the server saw exactly one refresh grant");
        s.close();
    }

    @Test
    void transientFailuresBackOffWithJitterWhileTheUserStaysSignedInThenSucceed() {
        Session s = f.login();
        SessionFixture.Events events = new SessionFixture.Events();
        s.addListener(events);
        AccessToken original = await(s.accessToken());
        f.proxy.mode(FaultProxy.Mode.UNAVAILABLE);
        int scheduledBefore = f.scheduler.requested().size();

        f.scheduler.advance(DUE);
        List<Duration> delays = new ArrayList<>();
        for (int failure = 1; failure <= 5; failure++) {
            RefreshFailed failed = events.next(RefreshFailed.class);
            assertEquals(failure, failed.failures());
            assertEquals(503, failed.status());
            assertTrue(failed.tokenValid());
            // full jitter: uniformly in [0, min(60 s, 1 s × 2^(n-1))]
            Duration ceiling = Duration.ofSeconds(1L << (failure - 1));
            assertTrue(failed.retryIn().compareTo(ceiling) <= 0, failed.retryIn() + " > " + ceiling);
            delays.add(failed.retryIn());
            // still signed in, and callers keep the still-valid token without bypassing the backoff
            assertEquals(original.value(), await(s.accessToken()).value());
            assertEquals(failure, f.proxy.refreshRequests.get());
            if (failure < 5) {
                f.scheduler.advance(failed.retryIn());
            }
        }
        assertEquals(delays, f.scheduler.requested().subList(scheduledBefore, f.scheduler.requested().size()));
        assertTrue(delays.stream().mapToLong(Duration::toMillis).sum() > 0);
        assertEquals(Optional.empty(), s.ended());

        f.proxy.mode(FaultProxy.Mode.FORWARD);
        f.scheduler.advance(delays.get(4));
        AccessToken renewed = events.next(TokenRefreshed.class).token();
        assertNotEquals(original.value(), renewed.value());
        assertEquals(6, f.proxy.refreshRequests.get());
        assertEquals(5, f.proxy.refused.get());
        assertEquals(SessionFixture.START.plus(DUE).plus(Duration.ofMillis(
                delays.stream().mapToLong(Duration::toMillis).sum())).plus(DUE), f.scheduler.nextDue(),
                "after success the next refresh is planned normally again");
        s.close();
    }

    @Test
    void whenTheTokenExpiresDuringAnOutageCallersAreToldToWaitAndTheNextCallAfterItRefreshes() {
        Session s = f.login();
        f.proxy.mode(FaultProxy.Mode.DROP);
        f.jump(Duration.ofMinutes(20)); // expired, and the server cannot be reached

        Throwable t = failure(s.accessToken());
        assertInstanceOf(TokenUnavailableException.class, t);
        assertEquals(Optional.empty(), s.ended(), "an outage never signs the user out");
        assertEquals(1, f.scheduler.pending(), "a retry is planned");

        f.proxy.mode(FaultProxy.Mode.FORWARD); // the network is back: the next caller does not wait for the timer
        AccessToken fresh = await(s.accessToken());
        assertTrue(fresh.validAt(f.clock.instant()));
        assertEquals(2, f.proxy.refreshRequests.get());
        s.close();
    }

    @Test
    void aRejectedRefreshEndsTheSessionOnceForEveryListenerAndNothingRetries() {
        Session s = f.login();
        SessionFixture.Events one = new SessionFixture.Events();
        SessionFixture.Events two = new SessionFixture.Events();
        s.addListener(one);
        s.addListener(two);
        assertEquals(200, f.revokeAtServer(f.vault.load().orElseThrow()));
        f.jump(DUE);

        Throwable t = failure(s.accessToken());

        SessionEndedException ended = assertInstanceOf(SessionEndedException.class, t);
        assertEquals(new SessionEnded(SessionEvent.Reason.REJECTED, "invalid_grant"), ended.ended());
        for (SessionFixture.Events l : List.of(one, two)) {
            assertEquals(ended.ended(), l.next(SessionEnded.class));
        }
        assertEquals(Optional.empty(), f.vault.load(), "a dead refresh token is forgotten");
        int requests = f.proxy.refreshRequests.get();
        assertEquals(1, requests);

        f.scheduler.advance(Duration.ofDays(1));
        assertInstanceOf(SessionEndedException.class, failure(s.accessToken()));
        assertEquals(0, f.scheduler.pending(), "no timer left");
        assertEquals(requests, f.proxy.refreshRequests.get(), "nothing retried");
        SessionFixture.Events late = new SessionFixture.Events();
        s.addListener(late);
        assertEquals(ended.ended(), late.next(SessionEnded.class));
        assertEquals(List.of(), one.drain(), "heard once");
        assertEquals(List.of(), two.drain(), "heard once");
    }

    @Test
    void logoutRevokesOnTheServerForgetsLocallyAndEndsTheSession() {
        Session s = f.login();
        SessionFixture.Events events = new SessionFixture.Events();
        s.addListener(events);
        String refresh = f.vault.load().orElseThrow();

        assertTrue(await(s.logout()), "the server confirmed the revocation");

        assertEquals(new SessionEnded(SessionEvent.Reason.LOGGED_OUT, null), events.next(SessionEnded.class));
        assertEquals(Optional.empty(), f.vault.load());
        assertEquals(400, f.refreshAtServer(refresh), "revoked on the server");
        assertInstanceOf(SessionEndedException.class, failure(s.accessToken()));
        assertFalse(await(s.logout()), "a second logout does nothing");
        assertEquals(List.of(), events.drain());
        assertEquals(0, f.scheduler.pending());
    }

    @Test
    void logoutWhileOfflineStillEndsTheSessionLocally() {
        Session s = f.login();
        SessionFixture.Events events = new SessionFixture.Events();
        s.addListener(events);
        f.proxy.mode(FaultProxy.Mode.DROP);

        assertFalse(await(s.logout()), "best effort: the server was not reached");

        assertEquals(SessionEvent.Reason.LOGGED_OUT, events.next(SessionEnded.class).reason());
        assertEquals(Optional.empty(), f.vault.load());
        assertEquals(1, f.proxy.revokeRequests.get());
    }

    @Test
    void aSessionResumesFromTheVaultAndTheStoredTokenRotates() {
        Session first = f.login();
        first.close();
        String stored = f.vault.load().orElseThrow();

        Session resumed = await(Session.resume(f.services()));

        assertEquals(f.userId, resumed.userId());
        assertTrue(await(resumed.accessToken()).validAt(f.clock.instant()));
        String rotated = f.vault.load().orElseThrow();
        assertNotEquals(stored, rotated);
        resumed.close();
        assertEquals(Optional.of(rotated), f.vault.load(), "closing keeps the token for the next start");
    }

    @Test
    void resumingWithARevokedTokenIsRejectedAndForgetsIt() {
        f.login().close();
        assertEquals(200, f.revokeAtServer(f.vault.load().orElseThrow()));

        TokenEndpointException e = assertInstanceOf(TokenEndpointException.class,
                failure(Session.resume(f.services())));

        assertEquals(TokenEndpointException.Kind.REJECTED, e.kind());
        assertEquals("invalid_grant", e.error());
        assertEquals(Optional.empty(), f.vault.load());
    }

    @Test
    void resumingWhileTheServerIsDownKeepsTheTokenForLater() {
        f.login().close();
        String stored = f.vault.load().orElseThrow();
        f.proxy.mode(FaultProxy.Mode.UNAVAILABLE);

        TokenEndpointException e = assertInstanceOf(TokenEndpointException.class,
                failure(Session.resume(f.services())));

        assertTrue(e.isTransient());
        assertEquals(Optional.of(stored), f.vault.load());
    }

    @Test
    void aWrongPasswordIsRejectedAndStoresNothing() {
        TokenEndpointException e = assertInstanceOf(TokenEndpointException.class,
                failure(Session.login(f.services(), SessionFixture.USER, "wrong-password".toCharArray())));

        assertEquals(TokenEndpointException.Kind.REJECTED, e.kind());
        assertEquals("invalid_grant", e.error());
        assertEquals(Optional.empty(), f.vault.load());
    }

    @Test
    void aLogoutDuringARefreshLeavesNoLiveTokenWhicheverReachesTheServerFirst() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        List<String> stored = new CopyOnWriteArrayList<>();
        Session s = await(Session.login(f.services(new RecordingVault(f.vault, order, stored)), SessionFixture.USER,
                SessionFixture.PASSWORD.toCharArray()));
        f.jump(DUE);
        f.proxy.hold();
        CompletableFuture<AccessToken> pending = s.accessToken();
        f.proxy.awaitHeld(1);

        CompletableFuture<Boolean> loggedOut = s.logout();
        assertInstanceOf(SessionEndedException.class, failure(pending), "waiting callers are told at once");
        f.proxy.awaitHeld(2); // the revocation, beside the refresh
        f.proxy.release();
        await(loggedOut);

        // Either the refresh came first, and the token it brought is revoked too when its answer finds the session
        // ended; or the revocation came first, and the refresh was refused. Wait until one of the two is done.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (f.serverCount("quire.token.revocations") < 2
                && f.serverCount("quire.token.grants", "grant", "refresh", "result", "invalid_grant") < 1) {
            assertTrue(System.nanoTime() < deadline, "the late refresh answer was not handled");
            Thread.onSpinWait();
        }
        for (String token : stored) {
            assertEquals(400, f.refreshAtServer(token), "no refresh token of this login still works");
        }
        assertEquals(Optional.empty(), f.vault.load());
        assertEquals("clear", order.get(order.size() - 1));
        assertEquals(0, f.scheduler.pending());
    }

    @Test
    void aVaultThatCannotStoreCostsOnlyTheResumeNotTheSession() {
        RefreshTokenVault broken = new RefreshTokenVault() {
            @Override
            public Optional<String> load() {
                return Optional.empty();
            }

            @Override
            public void store(String refreshToken) {
                throw new VaultException("the disk is full", null);
            }

            @Override
            public void clear() {
            }
        };
        Session s = await(Session.login(f.services(broken), SessionFixture.USER,
                SessionFixture.PASSWORD.toCharArray()));
        AccessToken first = await(s.accessToken());
        f.jump(DUE);

        AccessToken second = await(s.accessToken());

        assertNotEquals(first.value(), second.value(), "the rotated token was kept in memory and used");
        f.jump(DUE);
        assertNotEquals(second.value(), await(s.accessToken()).value());
        assertEquals(Optional.empty(), s.ended());
        s.close();
    }

    @Test
    void aFailingListenerDoesNotKeepTheOthersFromHearing() {
        Session s = f.login();
        s.addListener(e -> {
            throw new IllegalStateException("a broken window");
        });
        SessionFixture.Events events = new SessionFixture.Events();
        s.addListener(events);

        await(s.logout());

        assertEquals(SessionEvent.Reason.LOGGED_OUT, events.next(SessionEnded.class).reason());
    }

    /** Records store/clear calls in order, then delegates. */
    static final class RecordingVault implements RefreshTokenVault {
        private final RefreshTokenVault inner;
        private final List<String> log;
        private final List<String> values;

        RecordingVault(RefreshTokenVault inner, List<String> log) {
            this(inner, log, new CopyOnWriteArrayList<>());
        }

        RecordingVault(RefreshTokenVault inner, List<String> log, List<String> values) {
            this.inner = inner;
            this.log = log;
            this.values = values;
        }

        @Override
        public Optional<String> load() {
            return inner.load();
        }

        @Override
        public void store(String refreshToken) {
            log.add("store");
            values.add(refreshToken);
            inner.store(refreshToken);
        }

        @Override
        public void clear() {
            log.add("clear");
            inner.clear();
        }
    }
}
