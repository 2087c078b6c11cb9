package dev.quire.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.sync.ConnectionEffect.CancelTimers;
import dev.quire.sync.ConnectionEffect.CloseSocket;
import dev.quire.sync.ConnectionEffect.Dial;
import dev.quire.sync.ConnectionEffect.ReportBug;
import dev.quire.sync.ConnectionEffect.ReportSessionEnded;
import dev.quire.sync.ConnectionEffect.RequestToken;
import dev.quire.sync.ConnectionEffect.ScheduleRetry;
import dev.quire.sync.ConnectionEffect.ScheduleStable;
import dev.quire.sync.ConnectionEffect.StartSync;
import dev.quire.sync.ConnectionEvent.AuthOk;
import dev.quire.sync.ConnectionEvent.Close;
import dev.quire.sync.ConnectionEvent.HeartbeatMissed;
import dev.quire.sync.ConnectionEvent.NetworkDown;
import dev.quire.sync.ConnectionEvent.NetworkUp;
import dev.quire.sync.ConnectionEvent.Open;
import dev.quire.sync.ConnectionEvent.RetryNow;
import dev.quire.sync.ConnectionEvent.RetryTimerFired;
import dev.quire.sync.ConnectionEvent.SessionEnded;
import dev.quire.sync.ConnectionEvent.SocketClosed;
import dev.quire.sync.ConnectionEvent.StableTimerFired;
import dev.quire.sync.ConnectionEvent.TokenFailed;
import dev.quire.sync.ConnectionEvent.TokenReady;
import dev.quire.sync.ConnectionMachine.Snapshot;
import dev.quire.sync.ConnectionMachine.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The connection state machine, event by event, on a fixed time and a seeded random (no clock, no sockets). */
class ConnectionMachineTest {
    private static final Instant T = Instant.parse("2026-11-24T00:00:00Z");
    private final ConnectionMachine machine = new ConnectionMachine(Backoff.DEFAULT, new SplittableRandom(1));

    private Snapshot s = Snapshot.INITIAL;
    private List<ConnectionEffect> effects;

    private void on(ConnectionEvent e) {
        Transition t = machine.next(s, e, T);
        s = t.snapshot();
        effects = t.effects();
    }

    private void connected() {
        on(new Open());
        on(new TokenReady());
        on(new AuthOk());
        assertEquals(ConnectionState.CONNECTED, s.state());
    }

    @Test
    void openAsksForATokenDialsWithItAndIsConnectedOnAuthOk() {
        on(new Open());
        assertEquals(ConnectionState.CONNECTING, s.state());
        assertEquals(List.of(new RequestToken(false)), effects);
        on(new TokenReady());
        assertEquals(List.of(new Dial()), effects);
        on(new AuthOk());
        assertEquals(ConnectionState.CONNECTED, s.state());
        assertEquals(List.of(new StartSync(), new ScheduleStable(ConnectionMachine.STABLE_AFTER)), effects);
    }

    @Test
    void aDroppedLinkRetriesAfterAJitteredDelayWithAFreshTokenEachTime() {
        connected();
        on(new SocketClosed(1006, ""));
        assertEquals(ConnectionState.RECONNECTING, s.state());
        Duration first = ((ScheduleRetry) effects.get(1)).delay();
        assertTrue(first.compareTo(Duration.ofMillis(500)) <= 0, "first ceiling 0.5 s: " + first);
        assertEquals(Optional.of(T.plus(first)), s.nextRetryAt());
        assertEquals(1006, s.lastCloseCode());

        on(new RetryTimerFired());
        assertEquals(ConnectionState.CONNECTING, s.state());
        assertEquals(List.of(new CancelTimers(), new RequestToken(false)), effects, "a new token per attempt");
        on(new TokenReady());
        on(new SocketClosed(1006, "")); // refused again
        Duration second = ((ScheduleRetry) effects.get(1)).delay();
        assertTrue(second.compareTo(Duration.ofSeconds(1)) <= 0, "second ceiling 1 s: " + second);
        assertEquals(2, s.attempt());
    }

    @Test
    void aStableConnectionResetsTheBackoff() {
        connected();
        on(new SocketClosed(1006, ""));
        on(new RetryTimerFired());
        on(new TokenReady());
        on(new AuthOk());
        assertEquals(1, s.attempt());
        on(new StableTimerFired());
        assertEquals(0, s.attempt());
    }

    @Test
    void anExpiredTokenRefreshesAndReconnectsAtOnce() {
        connected();
        on(new SocketClosed(1008, "TOKEN_EXPIRED"));
        assertEquals(ConnectionState.CONNECTING, s.state());
        assertEquals(List.of(new CancelTimers(), new RequestToken(true)), effects);
        assertEquals(Optional.of("TOKEN_EXPIRED"), s.lastError());
    }

    @ParameterizedTest
    @CsvSource({"TOKEN_INVALID", "USER_NOT_FOUND", "AUTH_REQUIRED"})
    void aRejectedCredentialEndsTheSession(String code) {
        connected();
        on(new SocketClosed(1008, code));
        assertEquals(ConnectionState.AUTH_FAILED, s.state());
        assertEquals(List.of(new CancelTimers(), new ReportSessionEnded(code)), effects);
        on(new RetryTimerFired());
        on(new NetworkUp());
        assertEquals(ConnectionState.AUTH_FAILED, s.state(), "no retry loop");
        assertEquals(List.of(), effects);
    }

    @Test
    void forbiddenStopsWithoutRetrying() {
        connected();
        on(new SocketClosed(1008, "FORBIDDEN"));
        assertEquals(ConnectionState.FORBIDDEN, s.state());
        on(new RetryNow());
        assertEquals(ConnectionState.FORBIDDEN, s.state());
        assertEquals(List.of(), effects);
    }

    @Test
    void aFrameTooBigIsReportedAsABugAndNotRetried() {
        connected();
        on(new SocketClosed(1009, "TOO_LARGE"));
        assertEquals(ConnectionState.CLOSED, s.state());
        assertTrue(effects.get(1) instanceof ReportBug, effects.toString());
        on(new RetryTimerFired());
        assertEquals(ConnectionState.CLOSED, s.state());
    }

    @Test
    void aMissedHeartbeatClosesTheDeadLinkAndRetries() {
        connected();
        on(new HeartbeatMissed());
        assertEquals(ConnectionState.RECONNECTING, s.state());
        assertTrue(effects.get(0) instanceof CloseSocket, effects.toString());
        assertTrue(effects.get(effects.size() - 1) instanceof ScheduleRetry, effects.toString());
    }

    @Test
    void offlineWaitsForTheNetworkAndRetriesAtOnceWhenItReturns() {
        connected();
        on(new NetworkDown());
        assertEquals(ConnectionState.OFFLINE, s.state());
        on(new RetryTimerFired());
        assertEquals(ConnectionState.OFFLINE, s.state(), "no timer retries while the OS says offline");
        on(new NetworkUp());
        assertEquals(ConnectionState.CONNECTING, s.state());
        assertEquals(List.of(new CancelTimers(), new RequestToken(false)), effects);
    }

    @Test
    void retryNowSkipsTheRemainingBackoff() {
        connected();
        on(new SocketClosed(1011, "STORAGE_FAILED"));
        on(new RetryNow());
        assertEquals(ConnectionState.CONNECTING, s.state());
        assertEquals(new RequestToken(false), effects.get(1));
    }

    @Test
    void aTransientTokenFailureBacksOffAndASessionEndStops() {
        on(new Open());
        on(new TokenFailed(false));
        assertEquals(ConnectionState.RECONNECTING, s.state());
        assertEquals(Optional.of("TOKEN_UNAVAILABLE"), s.lastError());
        on(new RetryTimerFired());
        on(new TokenFailed(true));
        assertEquals(ConnectionState.AUTH_FAILED, s.state());
    }

    @Test
    void sessionEndedInAnotherWindowClosesAndNothingRestartsItButOpen() {
        connected();
        on(new SessionEnded());
        assertEquals(ConnectionState.AUTH_FAILED, s.state());
        assertEquals(List.of(new CancelTimers(), new CloseSocket(1000, "signed out")), effects);
        on(new TokenReady()); // a late answer to an old request
        assertEquals(List.of(), effects, "nothing is dialled after the session ended");
        on(new Open()); // signed in again
        assertEquals(ConnectionState.CONNECTING, s.state());
        assertEquals(0, s.attempt());
    }

    @Test
    void closeIsFinalUntilOpenedAgain() {
        connected();
        on(new Close());
        assertEquals(ConnectionState.CLOSED, s.state());
        on(new SocketClosed(1006, ""));
        assertEquals(List.of(), effects);
    }

    @Test
    void backoffCeilingsDoubleFromHalfASecondToThirtySeconds() {
        Backoff b = Backoff.DEFAULT;
        assertEquals(Duration.ofMillis(500), b.ceiling(0));
        assertEquals(Duration.ofSeconds(1), b.ceiling(1));
        assertEquals(Duration.ofSeconds(16), b.ceiling(5));
        assertEquals(Duration.ofSeconds(30), b.ceiling(6));
        assertEquals(Duration.ofSeconds(30), b.ceiling(1000));
        SplittableRandom random = new SplittableRandom(7);
        long below = 0;
        for (int i = 0; i < 1000; i++) {
            Duration d = b.delay(3, random);
            assertTrue(!d.isNegative() && d.compareTo(Duration.ofSeconds(4)) <= 0, d.toString());
            if (d.compareTo(Duration.ofSeconds(2)) < 0) {
                below++;
            }
        }
        assertTrue(below > 400 && below < 600, "full jitter is uniform: " + below + " of 1000 below half");
    }
}
