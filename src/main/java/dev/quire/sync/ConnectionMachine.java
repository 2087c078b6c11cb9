package dev.quire.sync;

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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The life of one document connection as a pure function: {@link #next} takes the current {@link Snapshot}, an
 * event and the time, and returns the new snapshot with the effects the adapter must carry out. No sockets, threads
 * or clocks here, so every path is a table test.
 *
 * <p>Close codes are the reference server's (1008 with the error code as reason, issue 5): {@code TOKEN_EXPIRED}
 * forces a refresh and reconnects at once; {@code TOKEN_INVALID}, {@code USER_NOT_FOUND} and {@code AUTH_REQUIRED}
 * end the session; {@code FORBIDDEN} stops without a retry loop; 1009 (a frame too big) is a bug, never retried with
 * the same frame; anything else retries with {@link Backoff} (full jitter), reset once a connection has stayed up
 * for {@link #STABLE_AFTER}.
 */
public final class ConnectionMachine {
    /** A connection up this long resets the backoff. */
    public static final Duration STABLE_AFTER = Duration.ofSeconds(10);
    static final int POLICY_VIOLATION = 1008;
    static final int MESSAGE_TOO_BIG = 1009;
    static final int NORMAL = 1000;

    /**
     * Everything the machine knows.
     *
     * @param attempt      failed attempts since the last stable connection (the backoff exponent)
     * @param nextRetryAt  when a scheduled retry fires, if one is
     * @param lastCloseCode the last close code seen, 0 for none
     * @param lastError    the last error code (the server's close reason, or the machine's own), empty for none
     */
    public record Snapshot(ConnectionState state, int attempt, Optional<Instant> nextRetryAt, int lastCloseCode,
                           Optional<String> lastError) {
        public static final Snapshot INITIAL = new Snapshot(ConnectionState.CLOSED, 0, Optional.empty(), 0,
                Optional.empty());

        Snapshot with(ConnectionState s) {
            return new Snapshot(s, attempt, s == ConnectionState.RECONNECTING ? nextRetryAt : Optional.empty(),
                    lastCloseCode, lastError);
        }
    }

    /** A new snapshot and what to do about it. */
    public record Transition(Snapshot snapshot, List<ConnectionEffect> effects) {
        public Transition {
            effects = List.copyOf(effects);
        }
    }

    private final Backoff backoff;
    private final RandomGenerator random;

    public ConnectionMachine(Backoff backoff, RandomGenerator random) {
        this.backoff = backoff;
        this.random = random;
    }

    public Transition next(Snapshot s, ConnectionEvent event, Instant now) {
        ConnectionState state = s.state();
        if (event instanceof Close) {
            return new Transition(s.with(ConnectionState.CLOSED),
                    List.of(new CancelTimers(), new CloseSocket(NORMAL, "closed")));
        }
        if (event instanceof SessionEnded) {
            if (state == ConnectionState.AUTH_FAILED) {
                return stay(s);
            }
            Snapshot ended = new Snapshot(ConnectionState.AUTH_FAILED, s.attempt(), Optional.empty(),
                    s.lastCloseCode(), Optional.of("SESSION_ENDED"));
            return new Transition(ended, List.of(new CancelTimers(), new CloseSocket(NORMAL, "signed out")));
        }
        if (event instanceof Open) {
            return state.isTerminal() ? connect(new Snapshot(ConnectionState.CONNECTING, 0, Optional.empty(),
                    s.lastCloseCode(), s.lastError()), false) : stay(s);
        }
        if (state.isTerminal()) {
            return stay(s); // late events from a socket or timer of before
        }
        if (event instanceof NetworkDown) {
            return new Transition(s.with(ConnectionState.OFFLINE),
                    List.of(new CancelTimers(), new CloseSocket(NORMAL, "offline")));
        }
        return switch (state) {
            case CONNECTING -> connecting(s, event, now);
            case CONNECTED -> connected(s, event, now);
            case RECONNECTING, OFFLINE -> waiting(s, event);
            default -> stay(s);
        };
    }

    private Transition connecting(Snapshot s, ConnectionEvent event, Instant now) {
        if (event instanceof TokenReady) {
            return new Transition(s, List.of(new Dial()));
        }
        if (event instanceof TokenFailed failed) {
            if (failed.sessionEnded()) {
                return sessionEnded(s, "SESSION_ENDED");
            }
            return retryLater(s, now, "TOKEN_UNAVAILABLE", 0);
        }
        if (event instanceof AuthOk) {
            Snapshot up = new Snapshot(ConnectionState.CONNECTED, s.attempt(), Optional.empty(), s.lastCloseCode(),
                    Optional.empty());
            return new Transition(up, List.of(new StartSync(), new ScheduleStable(STABLE_AFTER)));
        }
        if (event instanceof SocketClosed closed) {
            return closed(s, closed, now);
        }
        return stay(s);
    }

    private Transition connected(Snapshot s, ConnectionEvent event, Instant now) {
        if (event instanceof StableTimerFired) {
            return new Transition(new Snapshot(ConnectionState.CONNECTED, 0, Optional.empty(), s.lastCloseCode(),
                    s.lastError()), List.of());
        }
        if (event instanceof HeartbeatMissed) {
            Transition later = retryLater(s, now, "HEARTBEAT_MISSED", 1006);
            return new Transition(later.snapshot(), prepend(new CloseSocket(NORMAL, "no pong"), later.effects()));
        }
        if (event instanceof SocketClosed closed) {
            return closed(s, closed, now);
        }
        return stay(s);
    }

    private Transition waiting(Snapshot s, ConnectionEvent event) {
        boolean go = event instanceof RetryNow || event instanceof NetworkUp
                || (event instanceof RetryTimerFired && s.state() == ConnectionState.RECONNECTING);
        if (!go) {
            return stay(s);
        }
        Transition t = connect(s.with(ConnectionState.CONNECTING), false);
        return new Transition(t.snapshot(), prepend(new CancelTimers(), t.effects()));
    }

    private Transition closed(Snapshot s, SocketClosed closed, Instant now) {
        String reason = closed.reason() == null ? "" : closed.reason();
        if (closed.code() == POLICY_VIOLATION) {
            switch (reason) {
                case "TOKEN_EXPIRED" -> {
                    // the server's clock says the token is over: refresh, then straight back (no backoff)
                    Snapshot again = new Snapshot(ConnectionState.CONNECTING, s.attempt(), Optional.empty(),
                            closed.code(), Optional.of(reason));
                    return new Transition(again, List.of(new CancelTimers(), new RequestToken(true)));
                }
                case "TOKEN_INVALID", "USER_NOT_FOUND", "AUTH_REQUIRED" -> {
                    Snapshot failed = new Snapshot(ConnectionState.AUTH_FAILED, s.attempt(), Optional.empty(),
                            closed.code(), Optional.of(reason));
                    return new Transition(failed, List.of(new CancelTimers(), new ReportSessionEnded(reason)));
                }
                case "FORBIDDEN" -> {
                    Snapshot refused = new Snapshot(ConnectionState.FORBIDDEN, s.attempt(), Optional.empty(),
                            closed.code(), Optional.of(reason));
                    return new Transition(refused, List.of(new CancelTimers()));
                }
                default -> {
                    // other policy closes (a rate limit, say) are worth another try after a pause
                }
            }
        }
        if (closed.code() == MESSAGE_TOO_BIG) {
            Snapshot bug = new Snapshot(ConnectionState.CLOSED, s.attempt(), Optional.empty(), closed.code(),
                    Optional.of("MESSAGE_TOO_BIG"));
            return new Transition(bug, List.of(new CancelTimers(),
                    new ReportBug("the server refused a frame as too big (1009 " + reason + ")")));
        }
        return retryLater(s, now, reason.isEmpty() ? "CLOSED_" + closed.code() : reason, closed.code());
    }

    private Transition sessionEnded(Snapshot s, String code) {
        Snapshot failed = new Snapshot(ConnectionState.AUTH_FAILED, s.attempt(), Optional.empty(), s.lastCloseCode(),
                Optional.of(code));
        return new Transition(failed, List.of(new CancelTimers(), new ReportSessionEnded(code)));
    }

    private Transition retryLater(Snapshot s, Instant now, String error, int closeCode) {
        Duration delay = backoff.delay(s.attempt(), random);
        Snapshot waiting = new Snapshot(ConnectionState.RECONNECTING, s.attempt() + 1, Optional.of(now.plus(delay)),
                closeCode == 0 ? s.lastCloseCode() : closeCode, Optional.of(error));
        return new Transition(waiting, List.of(new CancelTimers(), new ScheduleRetry(delay)));
    }

    private static Transition connect(Snapshot s, boolean forceRefresh) {
        return new Transition(s, List.of(new RequestToken(forceRefresh)));
    }

    private static Transition stay(Snapshot s) {
        return new Transition(s, List.of());
    }

    private static List<ConnectionEffect> prepend(ConnectionEffect first, List<ConnectionEffect> rest) {
        java.util.ArrayList<ConnectionEffect> all = new java.util.ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
