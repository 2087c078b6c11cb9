package dev.quire.protocol;

import dev.quire.crdt.encoding.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The awareness states one peer knows, merged by the rules of y-protocols awareness.js: client id → presence state
 * (JSON text) and the clock that orders that client's states. Pure: no timers and no threads; the owner calls
 * {@link #removeOutdated()} and {@link #renewLocalState()} every few seconds (y-protocols checks every 3 s) with
 * the time taken from the injected {@link Clock}. Not thread-safe: one owner.
 *
 * <p>The rules ({@code applyAwarenessUpdate}): an entry is taken when its clock is higher than the one known for
 * that client, or when it has the same clock, removes the state ({@code null}) and a state is there (so a peer can
 * take a client it believes gone off line without knowing a newer clock). A removal of this peer's own state by
 * someone else is refused: the local clock is raised past it instead, and the local client is reported as
 * updated so the relay re-announces it. A client whose state was not refreshed for {@link #OUTDATED_TIMEOUT} is
 * dropped; the local state is refreshed after half that.
 *
 * <p>Two deliberate differences from y-protocols' {@code Awareness}: it starts without a local state (y-protocols
 * sets {@code {}} at clock 0 in its constructor: call {@code setLocalState("{}")} for the same), and a refused
 * removal of the local state is reported in {@code updated} (y-protocols lists it in {@code removed} although the
 * state stays).
 */
public final class AwarenessStates {
    /** y-protocols awareness.js {@code outdatedTimeout}. */
    public static final Duration OUTDATED_TIMEOUT = Duration.ofSeconds(30);
    private static final long TIMEOUT_MILLIS = OUTDATED_TIMEOUT.toMillis();

    /** A client's clock and when its state was last refreshed (awareness.js MetaClientState). */
    private record Meta(long clock, long lastUpdatedMillis) {
    }

    private final long localClientId;
    private final Clock clock;
    /** Present states, in the order clients appeared (as the JavaScript Map does). */
    private final Map<Long, String> states = new LinkedHashMap<>();
    /** Clocks of every client ever seen, present or removed. */
    private final Map<Long, Meta> meta = new LinkedHashMap<>();

    /**
     * @param localClientId this peer's own client id (its document's client id); a server may use the id of its
     *     own document, whose state it never sets
     */
    public AwarenessStates(long localClientId, Clock clock) {
        AwarenessEntry.requireSafeUint("client id", localClientId);
        this.localClientId = localClientId;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public long localClientId() {
        return localClientId;
    }

    /** Every present state, client id → JSON text, in the order clients appeared. */
    public Map<Long, String> states() {
        return Collections.unmodifiableMap(states);
    }

    public Optional<String> state(long clientId) {
        return Optional.ofNullable(states.get(clientId));
    }

    public Optional<String> localState() {
        return state(localClientId);
    }

    /** The awareness clock known for {@code clientId}, also after its state was removed; empty if never seen. */
    public OptionalLong clockOf(long clientId) {
        Meta m = meta.get(clientId);
        return m == null ? OptionalLong.empty() : OptionalLong.of(m.clock);
    }

    /**
     * Sets (or, with {@code null}, removes) this peer's own state with the next clock (awareness.js
     * setLocalState).
     *
     * @return the update to send to the other peers
     */
    public AwarenessUpdate setLocalState(String stateJson) {
        AwarenessEntry entry = new AwarenessEntry(localClientId, nextLocalClock(), stateJson);
        if (entry.stateJson() == null) {
            states.remove(localClientId);
        } else {
            states.put(localClientId, entry.stateJson());
        }
        meta.put(localClientId, new Meta(entry.clock(), clock.millis()));
        return AwarenessUpdate.of(entry);
    }

    private long nextLocalClock() {
        Meta m = meta.get(localClientId);
        return m == null ? 0 : after(m.clock);
    }

    /**
     * The clock after {@code clock}, held at 2^53-1: one more could not be sent to a JavaScript peer. (Only a peer
     * that announced the largest clock can push a client there; the client then cannot outbid it.)
     */
    private static long after(long clock) {
        return Math.min(clock + 1, ProtocolCodec.MAX_SAFE_INTEGER);
    }

    /** Merges a received update (awareness.js applyAwarenessUpdate). */
    public AwarenessChange apply(AwarenessUpdate update) {
        return apply(update.entries());
    }

    public AwarenessChange apply(List<AwarenessEntry> entries) {
        long now = clock.millis();
        List<Long> added = new ArrayList<>();
        List<Long> updated = new ArrayList<>();
        List<Long> contentChanged = new ArrayList<>();
        List<Long> removed = new ArrayList<>();
        for (AwarenessEntry entry : entries) {
            long clientId = entry.clientId();
            String state = entry.stateJson();
            Meta known = meta.get(clientId);
            long knownClock = known == null ? 0 : known.clock;
            boolean newer = knownClock < entry.clock();
            boolean sameClockRemoval = knownClock == entry.clock() && state == null && states.containsKey(clientId);
            if (!newer && !sameClockRemoval) {
                continue;
            }
            long entryClock = entry.clock();
            String previous = states.get(clientId);
            if (state == null && clientId == localClientId && previous != null) {
                // never let a remote peer remove this peer's state: outbid its clock so the relay re-announces it
                meta.put(clientId, new Meta(after(entryClock), now));
                updated.add(clientId);
                continue;
            }
            if (state == null) {
                states.remove(clientId);
            } else {
                states.put(clientId, state);
            }
            meta.put(clientId, new Meta(entryClock, now));
            if (known == null && state != null) {
                added.add(clientId);
            } else if (known != null && state == null) {
                removed.add(clientId);
            } else if (state != null) {
                updated.add(clientId);
                if (!sameJson(state, previous)) {
                    contentChanged.add(clientId);
                }
            }
        }
        return new AwarenessChange(added, updated, contentChanged, removed);
    }

    /**
     * Removes the states of {@code clientIds} (awareness.js removeAwarenessStates), e.g. those a closed connection
     * controlled. Their clocks stay, so encoding them afterwards ({@link #encode}) tells the other peers to remove
     * them too (same clock, null state). Removing the local state raises the local clock.
     */
    public AwarenessChange remove(Collection<Long> clientIds) {
        List<Long> removed = new ArrayList<>();
        for (Long clientId : clientIds) {
            if (states.remove(clientId) != null) {
                if (clientId == localClientId) {
                    meta.put(clientId, new Meta(after(meta.get(clientId).clock), clock.millis()));
                }
                removed.add(clientId);
            }
        }
        return new AwarenessChange(List.of(), List.of(), List.of(), removed);
    }

    /**
     * Removes remote clients whose state was not refreshed for {@link #OUTDATED_TIMEOUT} (the timeout check of
     * awareness.js's interval); the local state never times out.
     */
    public AwarenessChange removeOutdated() {
        long now = clock.millis();
        List<Long> outdated = new ArrayList<>();
        meta.forEach((clientId, m) -> {
            if (clientId != localClientId && now - m.lastUpdatedMillis >= TIMEOUT_MILLIS && states.containsKey(clientId)) {
                outdated.add(clientId);
            }
        });
        return outdated.isEmpty() ? AwarenessChange.NONE : remove(outdated);
    }

    /**
     * Refreshes the local state with a new clock once half of {@link #OUTDATED_TIMEOUT} has passed since it was last
     * set, so that the other peers do not time it out (awareness.js's interval).
     *
     * @return the update to send, if it was due
     */
    public Optional<AwarenessUpdate> renewLocalState() {
        String local = states.get(localClientId);
        if (local == null || clock.millis() - meta.get(localClientId).lastUpdatedMillis < TIMEOUT_MILLIS / 2) {
            return Optional.empty();
        }
        return Optional.of(setLocalState(local));
    }

    /**
     * The update announcing {@code clientIds} as this peer knows them (awareness.js encodeAwarenessUpdate): their
     * current state, or a removal for those removed, each with its known clock.
     *
     * @throws IllegalArgumentException for a client never seen (it has no clock; y-protocols fails there too)
     */
    public AwarenessUpdate encode(Collection<Long> clientIds) {
        List<AwarenessEntry> entries = new ArrayList<>(clientIds.size());
        for (Long clientId : clientIds) {
            Meta m = meta.get(clientId);
            if (m == null) {
                throw new IllegalArgumentException("no awareness clock for client " + clientId);
            }
            entries.add(new AwarenessEntry(clientId, m.clock, states.get(clientId)));
        }
        return new AwarenessUpdate(entries);
    }

    /** Every present state: what y-websocket sends a new connection and answers a {@link QueryAwareness} with. */
    public AwarenessUpdate encodeAll() {
        return encode(new ArrayList<>(states.keySet()));
    }

    /** lib0's equalityDeep on the parsed values; numbers are JavaScript numbers, so 1 and 1.0 are equal. */
    private static boolean sameJson(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        return b != null && deepEquals(Json.parse(a), Json.parse(b));
    }

    private static boolean deepEquals(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!deepEquals(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !deepEquals(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }
}
