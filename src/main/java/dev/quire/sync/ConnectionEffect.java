package dev.quire.sync;

import java.time.Duration;

/** What the adapter must do after a transition, in order. */
public sealed interface ConnectionEffect {
    /** Ask the session for a token; {@code forceRefresh} after the server said the last one expired. */
    record RequestToken(boolean forceRefresh) implements ConnectionEffect {
    }

    /** Open the socket with the token just received. */
    record Dial() implements ConnectionEffect {
    }

    /** Close the socket if one is open. */
    record CloseSocket(int code, String reason) implements ConnectionEffect {
    }

    /** Fire {@link ConnectionEvent.RetryTimerFired} after {@code delay}. */
    record ScheduleRetry(Duration delay) implements ConnectionEffect {
    }

    /** Fire {@link ConnectionEvent.StableTimerFired} after {@code delay}. */
    record ScheduleStable(Duration delay) implements ConnectionEffect {
    }

    /** Cancel both timers. */
    record CancelTimers() implements ConnectionEffect {
    }

    /** Run the y-protocols sync, then replay the outbox. */
    record StartSync() implements ConnectionEffect {
    }

    /** Tell the session (and so every window) that it has ended. */
    record ReportSessionEnded(String code) implements ConnectionEffect {
    }

    /** Something only a bug explains (the server refused a frame as too big): report it, do not resend it. */
    record ReportBug(String what) implements ConnectionEffect {
    }
}
