package dev.quire.ui;

import dev.quire.engine.DocumentStatus;
import dev.quire.sync.ConnectionMachine.Snapshot;
import dev.quire.sync.ConnectionState;
import java.time.Duration;
import java.time.Instant;

/**
 * The words of a document window's status bar, from the engine's {@link DocumentStatus} and nothing else (issue 7:
 * "the status bar tells the truth"). Pure, so every state is checked without a window.
 */
public final class StatusLine {
    private StatusLine() {
    }

    /** What the status bar says about {@code s} at {@code now}. */
    public static String describe(DocumentStatus s, Instant now) {
        if (s.saveError().isPresent()) {
            return "Cannot save on this computer — edits are kept in memory and sent when online";
        }
        Snapshot c = s.connection();
        int n = s.queued();
        if (c.state() == ConnectionState.CONNECTED && s.readOnly()) {
            return "Read-only (shared as reader)";
        }
        if (c.state() == ConnectionState.CONNECTED && s.renewing()) {
            return "Session expires soon — renewing";
        }
        return switch (c.state()) {
            case CONNECTED -> n == 0 ? "Saved · online" : "Online — sending " + edits(n);
            case CONNECTING -> n == 0 ? "Connecting…" : "Connecting — " + edits(n) + " saved on this computer";
            case OFFLINE -> "Offline — " + (n == 0 ? "everything is saved on this computer"
                    : edits(n) + " saved on this computer");
            case RECONNECTING -> "Reconnecting" + c.nextRetryAt().map(at -> " in " + seconds(now, at)).orElse("")
                    + (n == 0 ? "" : " — " + edits(n) + " saved on this computer");
            case AUTH_FAILED -> n == 0 ? "Signed out — sign in to continue" : "Signed out — sign in to send "
                    + edits(n);
            case FORBIDDEN -> "No access to this document";
            case CLOSED -> c.lastError().filter("MESSAGE_TOO_BIG"::equals).isPresent()
                    ? "Stopped: the server refused an edit as too big — please report this" : "Closed";
        };
    }

    private static String edits(int n) {
        return n == 1 ? "1 edit" : n + " edits";
    }

    /** Whole seconds, rounded up, never below 1: "in 0 s" would be a lie while the wait is still on. */
    private static String seconds(Instant now, Instant at) {
        long ms = Math.max(0, Duration.between(now, at).toMillis());
        return Math.max(1, (ms + 999) / 1000) + " s";
    }
}
