package dev.quire.server.sync;

/** The WebSocket close codes the server uses (RFC 6455 §7.4.1) and the reasons it sends with them. */
final class CloseCodes {
    /** Server shutting down. */
    static final int GOING_AWAY = 1001;
    /** A text frame: y-protocols is binary only ("unsupported data"). */
    static final int UNSUPPORTED_DATA = 1003;
    /** Reserved for "closed without a close frame"; used for a peer that stopped answering pings. */
    static final int ABNORMAL = 1006;
    /** "Data inconsistent with the type of the message": a malformed frame or a Yjs update that cannot apply. */
    static final int INVALID_PAYLOAD = 1007;
    /** "Policy violation": every authentication and authorization refusal, expiry, flooding (issue 5). */
    static final int POLICY_VIOLATION = 1008;
    /** "Message too big": above {@link SyncServerConfig#maxFrameBytes()}. */
    static final int TOO_BIG = 1009;
    /** "Internal error": storage failed; the client reconnects and re-sends what was not acknowledged. */
    static final int INTERNAL_ERROR = 1011;

    static final String RATE_LIMITED = "RATE_LIMITED";
    static final String MALFORMED = "MALFORMED";
    static final String TOO_LARGE = "TOO_LARGE";
    static final String INVALID_UPDATE = "INVALID_UPDATE";
    static final String BINARY_ONLY = "BINARY_ONLY";
    static final String STORAGE_FAILED = "STORAGE_FAILED";
    static final String NOT_FOUND = "NOT_FOUND";
    static final String NO_PONG = "NO_PONG";
    /** Not a close reason: the code of the error message that warns of a coming expiry. */
    static final String TOKEN_EXPIRING = "TOKEN_EXPIRING";

    private CloseCodes() {
    }
}
