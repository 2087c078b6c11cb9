package dev.quire.sync;

/** What can happen to a connection; the adapter turns sockets, timers and the session into these. */
public sealed interface ConnectionEvent {
    /** The window opened the document (or asks again after a sign-in). */
    record Open() implements ConnectionEvent {
    }

    /** The session handed out a token for the pending attempt (the adapter keeps it; it never enters the machine). */
    record TokenReady() implements ConnectionEvent {
    }

    /** No token: {@code sessionEnded} when the session is over, otherwise a transient failure (offline, 5xx). */
    record TokenFailed(boolean sessionEnded) implements ConnectionEvent {
    }

    /** The server's auth-ok arrived: the connection is authenticated. */
    record AuthOk() implements ConnectionEvent {
    }

    /** The socket closed (or failed to open: code 1006), with the close code and reason the server sent. */
    record SocketClosed(int code, String reason) implements ConnectionEvent {
    }

    /** No pong within the heartbeat timeout: the link is dead even if the socket has not noticed. */
    record HeartbeatMissed() implements ConnectionEvent {
    }

    /** The operating system reports the network gone. */
    record NetworkDown() implements ConnectionEvent {
    }

    /** The operating system reports the network back. */
    record NetworkUp() implements ConnectionEvent {
    }

    /** The user clicked "retry now". */
    record RetryNow() implements ConnectionEvent {
    }

    /** The backoff delay scheduled by {@link ConnectionEffect.ScheduleRetry} is over. */
    record RetryTimerFired() implements ConnectionEvent {
    }

    /** The connection has been up for {@link ConnectionMachine#STABLE_AFTER}: backoff starts from scratch again. */
    record StableTimerFired() implements ConnectionEvent {
    }

    /** The session ended (logout, rejected refresh) in this or another window. */
    record SessionEnded() implements ConnectionEvent {
    }

    /** The window closed the document. */
    record Close() implements ConnectionEvent {
    }
}
