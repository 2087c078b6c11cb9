package dev.quire.protocol;

import dev.quire.testing.TestClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The merge rules of y-protocols awareness.js, on a fake clock (a 30-second timeout takes no time). */
class AwarenessStatesTest {
    private static final long LOCAL = 100;

    /** A clock the test moves by hand. */
    private final TestClock clock = TestClock.at("2026-11-24T10:00:00Z");
    private final AwarenessStates states = new AwarenessStates(LOCAL, clock);

    private static AwarenessEntry entry(long client, long clock, String state) {
        return new AwarenessEntry(client, clock, state);
    }

    private AwarenessChange apply(AwarenessEntry... entries) {
        return states.apply(AwarenessUpdate.of(entries));
    }

    @Test
    void aHigherClockWins() {
        assertEquals(List.of(1L), apply(entry(1, 1, "{\"n\":1}")).added());
        AwarenessChange change = apply(entry(1, 2, "{\"n\":2}"));
        assertEquals(List.of(1L), change.updated());
        assertEquals(List.of(1L), change.contentChanged());
        assertEquals(Optional.of("{\"n\":2}"), states.state(1));
        // an older or equal clock is ignored
        assertTrue(apply(entry(1, 1, "{\"n\":3}")).isEmpty());
        assertTrue(apply(entry(1, 2, "{\"n\":3}")).isEmpty());
        assertEquals(Optional.of("{\"n\":2}"), states.state(1));
        assertEquals(OptionalLong.of(2), states.clockOf(1));
    }

    @Test
    void aFirstStateAtClockZeroIsIgnoredAsInYProtocols() {
        // awareness.js takes an entry only when its clock beats the known one, which starts at 0
        assertTrue(apply(entry(1, 0, "{}")).isEmpty());
        assertEquals(Map.of(), states.states());
    }

    @Test
    void aRefreshWithTheSameContentIsAnUpdateButNotAChange() {
        apply(entry(1, 1, "{\"a\":1,\"b\":[1,2]}"));
        AwarenessChange change = apply(entry(1, 2, "{ \"b\": [1, 2.0], \"a\": 1 }"));
        assertEquals(List.of(1L), change.updated());
        assertEquals(List.of(), change.contentChanged());
        assertFalse(change.isEmpty());
        assertFalse(change.isVisible());
    }

    @Test
    void aNullStateRemovesTheClient() {
        apply(entry(1, 1, "{}"));
        AwarenessChange change = apply(AwarenessEntry.removed(1, 2));
        assertEquals(List.of(1L), change.removed());
        assertEquals(Optional.empty(), states.state(1));
        assertEquals(OptionalLong.of(2), states.clockOf(1), "the clock stays after removal");
        // a state with a newer clock brings it back; it was known before, so it is an update
        AwarenessChange back = apply(entry(1, 3, "{}"));
        assertEquals(List.of(1L), back.updated());
        assertEquals(List.of(1L), back.contentChanged());
    }

    @Test
    void aNullStateWithTheSameClockRemovesTheClient() {
        // how a peer that thinks a client has gone tells the others, without knowing a newer clock
        apply(entry(1, 5, "{}"));
        assertEquals(List.of(1L), apply(AwarenessEntry.removed(1, 5)).removed());
        assertEquals(Optional.empty(), states.state(1));
        // but a state with the same clock is not taken
        assertTrue(apply(entry(1, 5, "{\"again\":true}")).isEmpty());
    }

    @Test
    void aRemovalOfAnUnknownClientOnlyRecordsItsClock() {
        assertTrue(apply(AwarenessEntry.removed(1, 4)).isEmpty());
        assertEquals(OptionalLong.of(4), states.clockOf(1));
        assertTrue(apply(entry(1, 4, "{}")).isEmpty(), "an old state of a removed client stays out");
    }

    @Test
    void nobodyElseCanRemoveTheLocalState() {
        states.setLocalState("{\"me\":1}");
        states.setLocalState("{\"me\":2}");
        assertEquals(OptionalLong.of(1), states.clockOf(LOCAL));
        AwarenessChange change = apply(AwarenessEntry.removed(LOCAL, 7));
        assertEquals(Optional.of("{\"me\":2}"), states.localState());
        assertEquals(OptionalLong.of(8), states.clockOf(LOCAL), "outbids the removal");
        assertEquals(List.of(LOCAL), change.updated(), "so that the relay re-announces it");
        assertEquals(List.of(), change.removed());
        assertEquals(AwarenessUpdate.of(entry(LOCAL, 8, "{\"me\":2}")), states.encode(change.clients()));
    }

    @Test
    void setLocalStateCountsItsOwnClock() {
        assertEquals(AwarenessUpdate.of(entry(LOCAL, 0, "{}")), states.setLocalState("{}"));
        assertEquals(AwarenessUpdate.of(entry(LOCAL, 1, "{\"name\":\"Ada\"}")),
                states.setLocalState("{\"name\":\"Ada\"}"));
        assertEquals(AwarenessUpdate.of(AwarenessEntry.removed(LOCAL, 2)), states.setLocalState(null));
        assertEquals(Optional.empty(), states.localState());
    }

    @Test
    void remoteClientsTimeOutAfterThirtySecondsWithoutARefresh() {
        states.setLocalState("{}");
        apply(entry(1, 1, "{}"), entry(2, 1, "{}"));
        clock.advance(Duration.ofSeconds(20));
        apply(entry(2, 2, "{}"));
        clock.advance(Duration.ofMillis(9_999));
        assertTrue(states.removeOutdated().isEmpty());
        clock.advance(Duration.ofMillis(1));
        AwarenessChange change = states.removeOutdated();
        assertEquals(List.of(1L), change.removed());
        assertEquals(Optional.empty(), states.state(1));
        assertTrue(states.state(2).isPresent());
        assertTrue(states.localState().isPresent(), "the local state never times out");
        // the timed-out client keeps its clock, so the removal can be announced with it
        assertEquals(AwarenessUpdate.of(AwarenessEntry.removed(1, 1)), states.encode(change.removed()));
        clock.advance(Duration.ofHours(2));
        assertEquals(List.of(2L), states.removeOutdated().removed());
        assertEquals(Map.of(LOCAL, "{}"), states.states());
    }

    @Test
    void theLocalStateIsRenewedAfterHalfTheTimeout() {
        assertEquals(Optional.empty(), states.renewLocalState(), "no local state, nothing to renew");
        states.setLocalState("{\"me\":1}");
        clock.advance(Duration.ofMillis(14_999));
        assertEquals(Optional.empty(), states.renewLocalState());
        clock.advance(Duration.ofMillis(1));
        assertEquals(Optional.of(AwarenessUpdate.of(entry(LOCAL, 1, "{\"me\":1}"))), states.renewLocalState());
        assertEquals(Optional.empty(), states.renewLocalState(), "renewed just now");
        // a two-hour session with refreshes every 15 s never times anybody out
        AwarenessStates remote = new AwarenessStates(200, clock);
        remote.apply(states.setLocalState("{\"me\":2}"));
        for (int i = 0; i < 480; i++) {
            clock.advance(Duration.ofSeconds(15));
            states.renewLocalState().ifPresent(remote::apply);
            assertTrue(remote.removeOutdated().isEmpty(), "tick " + i);
        }
        assertEquals(Optional.of("{\"me\":2}"), remote.state(LOCAL));
    }

    @Test
    void removingClientsKeepsTheirClocksAndRaisesTheLocalOne() {
        states.setLocalState("{}");
        apply(entry(1, 3, "{}"), entry(2, 1, "{}"));
        AwarenessChange change = states.remove(List.of(1L, LOCAL, 42L));
        assertEquals(List.of(1L, LOCAL), change.removed());
        assertEquals(OptionalLong.of(3), states.clockOf(1));
        assertEquals(OptionalLong.of(1), states.clockOf(LOCAL));
        assertEquals(AwarenessUpdate.of(AwarenessEntry.removed(1, 3), AwarenessEntry.removed(LOCAL, 1)),
                states.encode(change.removed()));
        // a peer that still has client 1 at clock 3 drops it on this announcement
        AwarenessStates peer = new AwarenessStates(300, clock);
        peer.apply(AwarenessUpdate.of(entry(1, 3, "{}")));
        assertEquals(List.of(1L), peer.apply(states.encode(List.of(1L))).removed());
    }

    @Test
    void encodeAllListsThePresentStates() {
        states.setLocalState("{\"me\":1}");
        apply(entry(1, 2, "{\"a\":1}"), AwarenessEntry.removed(2, 4));
        assertEquals(AwarenessUpdate.of(entry(LOCAL, 0, "{\"me\":1}"), entry(1, 2, "{\"a\":1}")), states.encodeAll());
        assertThrows(IllegalArgumentException.class, () -> states.encode(List.of(77L)));
    }

    @Test
    void clocksStayWithinWhatAJavaScriptPeerCanRead() {
        long max = (1L << 53) - 1;
        states.setLocalState("{}");
        apply(AwarenessEntry.removed(LOCAL, max));
        assertEquals(OptionalLong.of(max), states.clockOf(LOCAL), "held at 2^53-1, not outbid past it");
        assertEquals(AwarenessUpdate.of(entry(LOCAL, max, "{}")), states.encode(List.of(LOCAL)));
        assertEquals(AwarenessUpdate.of(entry(LOCAL, max, "{\"x\":1}")), states.setLocalState("{\"x\":1}"));
    }

    @Test
    void deeplyNestedStatesAreComparedWithoutTrouble() {
        String deep = "[".repeat(900) + "1" + "]".repeat(900);
        apply(entry(1, 1, deep));
        AwarenessChange change = apply(entry(1, 2, "[".repeat(900) + "2" + "]".repeat(900)));
        assertEquals(List.of(1L), change.contentChanged());
    }

    @Test
    void entriesOfOneUpdateApplyInOrder() {
        AwarenessChange change = apply(entry(1, 1, "{}"), entry(1, 2, "{\"x\":1}"), AwarenessEntry.removed(2, 1),
                entry(3, 1, "{}"), AwarenessEntry.removed(3, 1));
        assertEquals(List.of(1L, 3L), change.added());
        assertEquals(List.of(1L), change.updated());
        assertEquals(List.of(3L), change.removed());
        assertEquals(List.of(1L, 3L, 1L, 3L), change.clients(), "added, updated, removed: as y-websocket relays them");
        assertEquals(Map.of(1L, "{\"x\":1}"), states.states());
    }
}
