package dev.quire.server.sync;

import dev.quire.crdt.Doc;
import dev.quire.crdt.StateVector;
import dev.quire.crdt.UpdateFormatException;
import dev.quire.protocol.Ack;
import dev.quire.protocol.AuthOk;
import dev.quire.protocol.AuthPermissionDenied;
import dev.quire.protocol.AwarenessChange;
import dev.quire.protocol.AwarenessEntry;
import dev.quire.protocol.AwarenessStates;
import dev.quire.protocol.AwarenessUpdate;
import dev.quire.protocol.ErrorMessage;
import dev.quire.protocol.Message;
import dev.quire.protocol.ProtocolCodec;
import dev.quire.protocol.QueryAwareness;
import dev.quire.protocol.Renew;
import dev.quire.protocol.ProtocolException;
import dev.quire.protocol.SyncStep1;
import dev.quire.protocol.SyncStep2;
import dev.quire.protocol.SyncUpdate;
import dev.quire.server.access.Role;
import dev.quire.server.auth.AuthError;
import dev.quire.server.auth.AuthException;
import dev.quire.server.auth.Principal;
import dev.quire.server.storage.Appended;
import dev.quire.server.storage.ClientIdTakenException;
import dev.quire.server.storage.DocumentStore;
import dev.quire.server.storage.InvalidUpdateException;
import dev.quire.server.storage.NoSuchDocumentException;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of one document and the document's in-memory state, as y-websocket's server keeps a
 * {@code WSSharedDoc}: a {@link Doc} to answer sync step 1 from, the awareness states of everyone present, and who is
 * connected.
 *
 * <p>Every method runs on the room's {@link SerialExecutor}, and only there: the document and the awareness states
 * have that one owner, and one update at a time is committed, broadcast and acknowledged, so every connection sees a
 * document's updates in the order they were stored.
 */
final class Room {
    private static final Logger log = LoggerFactory.getLogger(Room.class);
    /** Awareness client ids one connection may introduce: a tab has one; more is a client spoofing a crowd. */
    static final int MAX_AWARENESS_IDS = 16;
    /** The largest awareness clock or expiry that fits a JavaScript number (2^53 - 1). */
    private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    final String docId;
    final SerialExecutor executor;
    /** Connections holding this room (opening, open or closing); guarded by the rooms map (SyncService). */
    int refs;

    private final SyncService.Shared shared;
    /** Null until the first connection is admitted. */
    private AwarenessStates awareness;
    /** Keeps the store's live document in memory while the room exists; null until loaded. */
    private DocumentStore.Pinned pinned;
    /**
     * The store's durable state vector after the last update this room stored. The room keeps no copy of the
     * document: the store's live document answers sync steps, so each update is applied once, not twice.
     */
    private StateVector durable;
    private final Set<Connection> connections = new LinkedHashSet<>();
    private final Map<Long, Connection> awarenessOwners = new HashMap<>();

    Room(String docId, SerialExecutor executor, SyncService.Shared shared) {
        this.docId = docId;
        this.executor = executor;
        this.shared = shared;
    }

    // ---- joining and leaving ----

    /** Authenticates and authorizes a new connection, then starts the sync handshake; or closes it with 1008. */
    void admit(Connection c, ConnectRequest request) {
        if (c.closing) {
            return; // it broke a limit before its turn came
        }
        Principal principal;
        try {
            principal = shared.authenticator().authenticate(request);
        } catch (AuthException e) {
            reject(c, e.code(), e.getMessage());
            return;
        }
        Optional<Role> role;
        try {
            role = shared.access().roleOf(principal.userId(), docId);
        } catch (RuntimeException e) {
            log.atError().setCause(e).addKeyValue("conn", c.id).addKeyValue("doc", docId)
                    .log("could not look up access");
            c.close(CloseCodes.INTERNAL_ERROR, CloseCodes.STORAGE_FAILED);
            return;
        }
        if (role.isEmpty()) {
            // the same answer for "no such document" and "not yours": a stranger learns nothing (issue 5)
            reject(c, AuthError.FORBIDDEN, "no access to the document");
            return;
        }
        Instant now = shared.clock().instant();
        Instant deadline = deadline(principal);
        if (!now.isBefore(deadline)) {
            reject(c, AuthError.TOKEN_EXPIRED, "the credential expired");
            return;
        }
        if (!now.isBefore(principal.expiresAt())) {
            log.atWarn().addKeyValue("conn", c.id).addKeyValue("user", principal.userId())
                    .addKeyValue("expiredAt", principal.expiresAt())
                    .log("admitting an expired token within the configured grace");
        }
        try {
            load();
        } catch (NoSuchDocumentException e) {
            reject(c, AuthError.FORBIDDEN, "no access to the document");
            return;
        } catch (RuntimeException e) {
            log.atError().setCause(e).addKeyValue("conn", c.id).addKeyValue("doc", docId).log("could not load document");
            c.close(CloseCodes.INTERNAL_ERROR, CloseCodes.STORAGE_FAILED);
            return;
        }
        c.principal = principal;
        c.role = role.get();
        c.deadline = deadline;
        c.state = Connection.State.OPEN;
        connections.add(c);
        shared.metrics().connected();
        if (c.quire) {
            c.send(authOk(c));
        }
        // as y-websocket's setupWSConnection: step 1, then the awareness states of everyone present
        c.send(new SyncStep1(durable.encode()));
        if (!awareness.states().isEmpty()) {
            c.send(awareness.encodeAll());
        }
        log.atInfo().addKeyValue("conn", c.id).addKeyValue("doc", docId).addKeyValue("user", principal.userId())
                .addKeyValue("role", c.role).addKeyValue("quire", c.quire).log("connected");
    }

    private void reject(Connection c, AuthError code, String why) {
        shared.metrics().authFailure(code);
        log.atInfo().addKeyValue("conn", c.id).addKeyValue("doc", docId).addKeyValue("code", code)
                .addKeyValue("why", why).log("connection refused");
        // RFC 6455 §7.4.1: 1008 policy violation; browsers see the close code, never a handshake status
        c.close(CloseCodes.POLICY_VIOLATION, code.name());
    }

    /** The connection has closed: its awareness states go, for everyone. */
    void leave(Connection c, int code, String reason) {
        boolean wasOpen = c.state == Connection.State.OPEN;
        c.state = Connection.State.CLOSED;
        if (!wasOpen) {
            return;
        }
        connections.remove(c);
        shared.metrics().disconnected();
        for (Long id : c.awarenessIds) {
            awarenessOwners.remove(id);
        }
        AwarenessChange gone = awareness.remove(c.awarenessIds);
        if (!gone.removed().isEmpty()) {
            broadcast(ProtocolCodec.encode(awareness.encode(gone.removed())), null);
        }
        log.atInfo().addKeyValue("conn", c.id).addKeyValue("doc", docId).addKeyValue("user", c.userId())
                .addKeyValue("code", code).addKeyValue("reason", reason).log("disconnected");
    }

    private void load() {
        if (awareness != null) {
            return;
        }
        pinned = shared.store().pin(docId);
        durable = shared.store().stateVector(docId);
        // the room's own awareness id, whose state it never sets (AwarenessStates' javadoc): a fresh random client id
        // as a document would have, never one of the clients'
        awareness = new AwarenessStates(Doc.randomClientId(), shared.clock());
    }

    // ---- messages ----

    void handle(Connection c, Message message, Timer.Sample received) {
        if (c.state != Connection.State.OPEN || c.closing) {
            return; // refused, or closing: nothing it sent counts
        }
        if (message instanceof SyncStep1 step1) {
            answer(c, step1);
        } else if (message instanceof SyncStep2 step2) {
            update(c, step2.update(), true, received);
        } else if (message instanceof SyncUpdate update) {
            update(c, update.update(), false, received);
        } else if (message instanceof AwarenessUpdate update) {
            awareness(c, update);
        } else if (message instanceof QueryAwareness) {
            c.send(awareness.encodeAll());
        } else if (message instanceof Renew renew) {
            if (c.quire) { // Quire's messages are spoken only on Quire's subprotocol
                renew(c, renew);
            }
        }
        // anything else (AuthOk, Ack, ErrorMessage, AuthPermissionDenied) is the server's to send: ignored
    }

    /** Sync step 2 for a client's step 1: what the document has beyond the client's state vector. */
    private void answer(Connection c, SyncStep1 step1) {
        byte[] missing;
        try {
            missing = shared.store().missingFrom(docId, step1.stateVector());
        } catch (UpdateFormatException e) {
            log.atInfo().addKeyValue("conn", c.id).addKeyValue("doc", docId).addKeyValue("why", e.getMessage())
                    .log("malformed state vector; closing");
            c.close(CloseCodes.INVALID_PAYLOAD, ProtocolException.Kind.MALFORMED.name());
            return;
        } catch (RuntimeException e) {
            log.atError().setCause(e).addKeyValue("conn", c.id).addKeyValue("doc", docId).log("could not load document");
            c.close(CloseCodes.INTERNAL_ERROR, CloseCodes.STORAGE_FAILED);
            return;
        }
        c.send(new SyncStep2(missing));
    }

    /**
     * A Yjs update from a client: stored durably (with who sent it), then relayed to the other connections, then
     * acknowledged to the sender, in that order (issue 5 "Durable acks").
     */
    private void update(Connection c, byte[] update, boolean step2, Timer.Sample received) {
        shared.metrics().updatesIn.increment();
        if (!c.role.canWrite()) {
            refuseWrite(c, update.length, step2);
            return;
        }
        Appended appended;
        try {
            appended = shared.store().appendUpdate(docId, update, c.userId(), c.id, shared.clock().instant());
        } catch (InvalidUpdateException e) {
            Refusal refusal = Refusal.of(e);
            log.atInfo().addKeyValue("conn", c.id).addKeyValue("doc", docId).addKeyValue("user", c.userId())
                    .addKeyValue("bytes", update.length).addKeyValue("why", e.getMessage()).log("update refused");
            if (c.quire) {
                c.send(new ErrorMessage(refusal.reason(), e.getMessage()));
            }
            c.close(refusal.code(), refusal.reason());
            return;
        } catch (NoSuchDocumentException e) {
            reject(c, AuthError.FORBIDDEN, "the document was deleted");
            return;
        } catch (RuntimeException e) {
            // StorageException or worse: nothing stored, nothing acknowledged; the client re-sends after reconnecting
            log.atError().setCause(e).addKeyValue("conn", c.id).addKeyValue("doc", docId).log("could not store update");
            c.close(CloseCodes.INTERNAL_ERROR, CloseCodes.STORAGE_FAILED);
            return;
        }
        List<Long> advanced = advanced(durable, appended.state());
        durable = appended.state();
        if (appended.stored()) {
            broadcast(ProtocolCodec.encode(new SyncUpdate(update)), c);
        }
        c.writtenIds.addAll(advanced);
        if (c.quire) {
            // the sender's ids: what this update advanced, else those it wrote with or announces presence with
            Set<Long> ids = new LinkedHashSet<>(advanced);
            if (ids.isEmpty()) {
                ids.addAll(c.writtenIds);
                ids.addAll(c.awarenessIds);
            }
            if (!ids.isEmpty()) {
                // Recorded before the ack leaves, so whoever sees the ack also sees it counted.
                received.stop(shared.metrics().ackLatency);
            }
            for (Long id : ids) {
                c.send(new Ack(id, appended.clockOf(id)));
            }
        }
    }

    private void refuseWrite(Connection c, int bytes, boolean step2) {
        if (step2) {
            // Every client answers the server's step 1 with a step 2, usually holding nothing new; a reader's is
            // dropped quietly rather than answered with an error on every connect.
            log.atDebug().addKeyValue("conn", c.id).addKeyValue("bytes", bytes).log("dropped a reader's sync step 2");
            return;
        }
        shared.metrics().authFailure(AuthError.FORBIDDEN);
        log.atInfo().addKeyValue("conn", c.id).addKeyValue("doc", docId).addKeyValue("user", c.userId())
                .addKeyValue("bytes", bytes).log("refused a reader's update");
        String why = "read-only access: the update was not stored";
        if (c.quire) {
            c.send(new ErrorMessage(AuthError.FORBIDDEN.name(), why));
        } else if (!c.toldReadOnly) {
            // a stock y-websocket client logs this (auth.js permission denied); once is enough
            c.toldReadOnly = true;
            c.send(new AuthPermissionDenied(AuthError.FORBIDDEN.name() + ": " + why));
        }
    }

    /** The room is gone (its last connection left): the store may drop its copy of the document again. */
    void release() {
        if (pinned != null) {
            pinned.close();
            pinned = null;
        }
    }

    /** An update stored by someone else (an HTTP import): applied here and relayed to everyone connected. */
    void externalUpdate(byte[] update) {
        if (awareness == null || connections.isEmpty()) {
            return; // the next room loads it from the store
        }
        durable = shared.store().stateVector(docId);
        broadcast(ProtocolCodec.encode(new SyncUpdate(update)), null);
    }

    /** Re-checks every connection's role, e.g. after a share was withdrawn or the document deleted. */
    void recheckAccess() {
        for (Connection c : new ArrayList<>(connections)) {
            Optional<Role> role;
            try {
                role = shared.access().roleOf(c.userId(), docId);
            } catch (RuntimeException e) {
                log.atError().setCause(e).addKeyValue("doc", docId).log("could not re-check access");
                return;
            }
            if (role.isEmpty()) {
                reject(c, AuthError.FORBIDDEN, "access withdrawn");
            } else if (role.get() != c.role) {
                boolean wasWriter = c.role.canWrite();
                c.role = role.get();
                if (c.quire && wasWriter != c.role.canWrite()) {
                    c.send(authOk(c)); // the window turns read-only (or writable) at once
                }
            }
        }
    }

    private void awareness(Connection c, AwarenessUpdate update) {
        List<AwarenessEntry> accepted = new ArrayList<>(update.entries().size());
        for (AwarenessEntry entry : update.entries()) {
            Connection owner = awarenessOwners.get(entry.clientId());
            if (owner != null && owner != c) {
                continue; // another connection's presence: not this one's to change or remove
            }
            if (owner == null && c.awarenessIds.size() >= MAX_AWARENESS_IDS) {
                continue;
            }
            if (entry.isRemoval()) {
                accepted.add(entry);
                continue;
            }
            Optional<String> stamped = AwarenessUser.stamp(entry.stateJson(), c.principal);
            if (stamped.isEmpty()) {
                continue;
            }
            try {
                accepted.add(new AwarenessEntry(entry.clientId(), entry.clock(), stamped.get()));
            } catch (IllegalArgumentException e) {
                continue; // re-encoded JSON that a JavaScript peer could not read (lone surrogates): not relayed
            }
        }
        AwarenessChange change = awareness.apply(accepted);
        for (Long id : change.added()) {
            if (awarenessOwners.putIfAbsent(id, c) == null) {
                c.awarenessIds.add(id);
            }
        }
        for (Long id : change.updated()) {
            if (awarenessOwners.putIfAbsent(id, c) == null) {
                c.awarenessIds.add(id);
            }
        }
        if (!change.isEmpty()) {
            // to everyone, the sender too, as y-websocket's server does: the sender sees the user it was given
            broadcast(ProtocolCodec.encode(awareness.encode(change.clients())), null);
        }
    }

    private void renew(Connection c, Renew renew) {
        Principal fresh;
        try {
            fresh = shared.authenticator().renew(renew.accessToken(), c.userId());
        } catch (AuthException e) {
            shared.metrics().authFailure(e.code());
            log.atInfo().addKeyValue("conn", c.id).addKeyValue("user", c.userId()).addKeyValue("code", e.code())
                    .addKeyValue("token", renew.fingerprint()).log("renewal refused");
            c.send(new ErrorMessage(e.code().name(), e.getMessage()));
            c.close(CloseCodes.POLICY_VIOLATION, e.code().name());
            return;
        }
        c.principal = fresh;
        c.deadline = deadline(fresh);
        c.warned = false;
        shared.metrics().renewals.increment();
        log.atInfo().addKeyValue("conn", c.id).addKeyValue("user", c.userId())
                .addKeyValue("expiresAt", fresh.expiresAt()).log("renewed");
        c.send(authOk(c));
    }

    /** Who the connection is, until when, and whether it may only read. */
    private static AuthOk authOk(Connection c) {
        return new AuthOk(c.userId(), epochSeconds(c.principal.expiresAt()), !c.role.canWrite());
    }

    // ---- timers ----

    /** Expiry, heartbeat and awareness timeouts, checked against the clock every sweep interval. */
    void sweep() {
        Instant now = shared.clock().instant();
        long nowMillis = now.toEpochMilli();
        SyncServerConfig config = shared.config();
        for (Connection c : new ArrayList<>(connections)) {
            if (c.closing) {
                continue;
            }
            if (!now.isBefore(c.deadline)) {
                shared.metrics().authFailure(AuthError.TOKEN_EXPIRED);
                log.atInfo().addKeyValue("conn", c.id).addKeyValue("user", c.userId()).log("token expired; closing");
                c.close(CloseCodes.POLICY_VIOLATION, AuthError.TOKEN_EXPIRED.name());
                continue;
            }
            if (c.quire && !c.warned && !now.isBefore(minus(c.deadline, config.warnBefore().toMillis()))) {
                c.warned = true;
                long seconds = Math.max(0, (c.deadline.toEpochMilli() - nowMillis) / 1000);
                c.send(new ErrorMessage(CloseCodes.TOKEN_EXPIRING,
                        "the access token expires in " + seconds + " s; send renew with a fresh one"));
            }
            heartbeat(c, nowMillis, config);
        }
        if (awareness != null) {
            AwarenessChange outdated = awareness.removeOutdated();
            if (!outdated.removed().isEmpty()) {
                broadcast(ProtocolCodec.encode(awareness.encode(outdated.removed())), null);
            }
        }
    }

    /**
     * Pings a connection silent for a heartbeat interval; drops it when the ping stays unanswered for the rest of
     * the idle timeout. Two steps, so a clock that jumps ahead pings before it drops anyone.
     */
    private static void heartbeat(Connection c, long nowMillis, SyncServerConfig config) {
        long seen = c.lastSeenMillis;
        if (c.pingSentMillis >= 0 && seen >= c.pingSentMillis) {
            c.pingSentMillis = -1; // answered
        }
        if (c.pingSentMillis < 0) {
            if (nowMillis - seen >= config.heartbeatInterval().toMillis()) {
                c.pingSentMillis = nowMillis;
                c.link.ping();
            }
        } else if (nowMillis - c.pingSentMillis >= config.idleTimeout().minus(config.heartbeatInterval()).toMillis()) {
            log.atInfo().addKeyValue("conn", c.id).log("no answer to ping; dropping");
            c.abort(CloseCodes.NO_PONG);
        }
    }

    // ---- helpers ----

    private void broadcast(byte[] frame, Connection except) {
        for (Connection other : connections) {
            if (other != except) {
                other.send(frame);
            }
        }
    }

    private Instant deadline(Principal principal) {
        Instant exp = principal.expiresAt();
        long grace = shared.config().expiredGrace().toMillis();
        return exp.isAfter(Instant.MAX.minusMillis(grace)) ? Instant.MAX : exp.plusMillis(grace);
    }

    private static Instant minus(Instant t, long millis) {
        return t.isBefore(Instant.MIN.plusMillis(millis)) ? Instant.MIN : t.minusMillis(millis);
    }

    /** An expiry as JWT seconds, held at 2^53-1 so it fits a JavaScript number (dev mode's "never"). */
    private static long epochSeconds(Instant t) {
        return Math.max(0, Math.min(t.getEpochSecond(), MAX_SAFE_INTEGER));
    }

    /** The clients whose clock is higher in {@code after}. */
    private static List<Long> advanced(StateVector before, StateVector after) {
        List<Long> out = new ArrayList<>(1);
        for (Map.Entry<Long, Integer> e : after.asMap().entrySet()) {
            if (e.getValue() > before.get(e.getKey())) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    boolean isEmpty() {
        return connections.isEmpty();
    }

    /** How an update the store refused is reported: a close code and the reason sent with it. */
    record Refusal(int code, String reason) {
        static Refusal of(InvalidUpdateException e) {
            if (e instanceof ClientIdTakenException) {
                // Well-formed, but another user writes under that Yjs client id: a policy matter, not bad data.
                return new Refusal(CloseCodes.POLICY_VIOLATION, AuthError.FORBIDDEN.name());
            }
            return new Refusal(CloseCodes.INVALID_PAYLOAD, CloseCodes.INVALID_UPDATE);
        }
    }
}
