package dev.quire.protocol;

import dev.quire.crdt.Doc;
import dev.quire.crdt.UpdateFormatException;
import dev.quire.crdt.Updates;
import java.util.List;
import java.util.Objects;

/**
 * The y-protocols sync handshake (sync.js) against a Quire document, as pure functions: a message in, the reply
 * messages out; sending them is the caller's business.
 *
 * <p>The handshake as y-websocket runs it: each side sends {@link #syncStep1} when the connection opens; each
 * answers the other's step 1 with a {@link SyncStep2} holding what the other lacks; afterwards every change travels
 * as a {@link SyncUpdate} (from the document's update listener; skip updates whose origin is the connection they
 * came from). A client is synced when it has applied the first step 2.
 *
 * <p>Like the document, not thread-safe: call it on the document's owner thread.
 */
public final class SyncProtocol {
    private SyncProtocol() {
    }

    /** "Here is what I have" (sync.js writeSyncStep1). */
    public static SyncStep1 syncStep1(Doc doc) {
        return new SyncStep1(Updates.encodeStateVector(doc));
    }

    /**
     * What {@code doc} has beyond {@code stateVector} (sync.js writeSyncStep2), including content it holds back for
     * missing dependencies, so that nothing received is lost when it is passed on.
     *
     * @throws ProtocolException ({@link ProtocolException.Kind#MALFORMED}) if the state vector is malformed
     */
    public static SyncStep2 syncStep2(Doc doc, byte[] stateVector) {
        Objects.requireNonNull(stateVector, "stateVector");
        try {
            return new SyncStep2(Updates.encodeStateAsUpdate(doc, stateVector));
        } catch (UpdateFormatException e) {
            throw new ProtocolException(ProtocolException.Kind.MALFORMED,
                    "sync step 1: " + ProtocolCodec.withoutOffset(e) + ", at byte " + e.offset() + " of the state vector",
                    -1, e);
        }
    }

    /**
     * Handles one sync message as sync.js readSyncMessage does: a step 1 is answered with a step 2; a step 2 or an
     * update is applied to {@code doc} in one remote transaction with {@code origin} (so update listeners can tell
     * where it came from), and needs no answer.
     *
     * @return the replies to send back, in order (empty for step 2 and update)
     * @throws ProtocolException if the state vector or update is malformed; the document is then unchanged. Where
     *     y-protocols only logs such an update and carries on, Quire reports it, so a server can refuse it (and
     *     store nothing) instead of acknowledging it. Exceptions thrown by the document's own listeners pass through
     *     unchanged.
     */
    public static List<SyncMessage> read(Doc doc, SyncMessage message, Object origin) {
        Objects.requireNonNull(doc, "doc");
        if (message instanceof SyncStep1 step1) {
            return List.of(syncStep2(doc, step1.stateVector()));
        } else if (message instanceof SyncStep2 step2) {
            apply(doc, step2.update(), origin, "sync step 2");
        } else if (message instanceof SyncUpdate update) {
            apply(doc, update.update(), origin, "sync update");
        } else {
            throw new AssertionError("SyncMessage is sealed: " + message);
        }
        return List.of();
    }

    private static void apply(Doc doc, byte[] update, Object origin, String what) {
        try {
            Updates.applyUpdate(doc, update, origin);
        } catch (UpdateFormatException e) {
            String detail = ProtocolCodec.withoutOffset(e);
            int json = detail.indexOf(QUOTING_DETAIL);
            if (json >= 0) {
                // Jackson's message (passed on by the document core) quotes the text it failed on: drop it, and
                // the cause that carries it
                throw new ProtocolException(ProtocolException.Kind.INVALID_UPDATE,
                        what + ": " + detail.substring(0, json) + "JSON content that does not parse", e.offset());
            }
            throw new ProtocolException(ProtocolException.Kind.INVALID_UPDATE, what + ": " + detail, e.offset(), e);
        }
    }

    /** How the document core starts the message of a JSON parse failure inside an update (UpdateDecoder.readJson). */
    private static final String QUOTING_DETAIL = "malformed JSON";
}
