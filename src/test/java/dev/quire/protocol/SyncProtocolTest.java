package dev.quire.protocol;

import static dev.quire.protocol.Samples.state;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.crdt.YText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The y-protocols handshake between Quire documents, every message passing through {@link ProtocolCodec} as it
 * would over a socket.
 */
class SyncProtocolTest {

    /** Two documents and the frames in flight between them; updates are relayed as y-websocket relays them. */
    private static final class Link {
        final Doc left;
        final Doc right;
        final Deque<byte[]> toLeft = new ArrayDeque<>();
        final Deque<byte[]> toRight = new ArrayDeque<>();
        boolean leftSynced;
        boolean rightSynced;

        Link(Doc left, Doc right) {
            this.left = left;
            this.right = right;
            // a change is sent on unless it came from this link (origin = the link): no echo
            left.onUpdate((update, origin, t) -> {
                if (origin != this) {
                    toRight.add(ProtocolCodec.encode(new SyncUpdate(update)));
                }
            });
            right.onUpdate((update, origin, t) -> {
                if (origin != this) {
                    toLeft.add(ProtocolCodec.encode(new SyncUpdate(update)));
                }
            });
        }

        void open() {
            toRight.add(ProtocolCodec.encode(SyncProtocol.syncStep1(left)));
            toLeft.add(ProtocolCodec.encode(SyncProtocol.syncStep1(right)));
        }

        /** Delivers frames in a seeded random interleaving until none are left. */
        void run(Random rng) {
            while (!toLeft.isEmpty() || !toRight.isEmpty()) {
                boolean leftward = toRight.isEmpty() || (!toLeft.isEmpty() && rng.nextBoolean());
                if (leftward) {
                    leftSynced |= deliver(toLeft.poll(), left, toRight);
                } else {
                    rightSynced |= deliver(toRight.poll(), right, toLeft);
                }
            }
        }

        private boolean deliver(byte[] frame, Doc receiver, Deque<byte[]> back) {
            SyncMessage message = (SyncMessage) ProtocolCodec.decode(frame);
            for (SyncMessage reply : SyncProtocol.read(receiver, message, this)) {
                back.add(ProtocolCodec.encode(reply));
            }
            return message instanceof SyncStep2;
        }
    }

    @Test
    void handshakeBringsTwoDocumentsToTheSameState() {
        Doc a = Samples.docA();
        Doc b = Samples.docB();
        Link link = new Link(a, b);
        link.open();
        link.run(new Random(1));
        assertTrue(link.leftSynced && link.rightSynced);
        assertConverged(a, b);
        assertEquals(Samples.load(5, state(Samples.docAB())).getText("content").toString(),
                a.getText("content").toString());
    }

    @Test
    void editsDuringAndAfterTheHandshakeConverge() {
        for (long seed = 1; seed <= 20; seed++) {
            Random rng = new Random(seed);
            Doc a = new Doc(10);
            Doc b = new Doc(20);
            edit(a, rng, 5);
            edit(b, rng, 5);
            Link link = new Link(a, b);
            link.open();
            // interleave deliveries with more edits on both sides
            for (int round = 0; round < 10; round++) {
                edit(rng.nextBoolean() ? a : b, rng, 1 + rng.nextInt(3));
                if (rng.nextBoolean()) {
                    link.run(rng);
                }
            }
            link.run(rng);
            String where = "seed " + seed;
            assertTrue(link.leftSynced && link.rightSynced, where);
            assertConverged(a, b);
            assertFalse(a.hasPending() || b.hasPending(), where);
        }
    }

    @Test
    void stepOneIsAnsweredWithWhatTheOtherSideLacks() {
        Doc a = Samples.docA();
        Doc ab = Samples.docAB();
        List<SyncMessage> replies = SyncProtocol.read(ab, SyncProtocol.syncStep1(a), "remote");
        assertEquals(1, replies.size());
        SyncStep2 step2 = assertInstanceOf(SyncStep2.class, replies.get(0));
        assertArrayEquals(Updates.encodeStateAsUpdate(ab, Updates.encodeStateVector(a)), step2.update());
        assertEquals(List.of(), SyncProtocol.read(a, step2, "remote"));
        assertConverged(a, ab);
    }

    @Test
    void appliedUpdatesCarryTheOrigin() {
        Doc doc = new Doc(1);
        List<Object> origins = new ArrayList<>();
        doc.onUpdate((update, origin, t) -> origins.add(origin));
        Object connection = new Object();
        SyncProtocol.read(doc, new SyncUpdate(state(Samples.docA())), connection);
        SyncProtocol.read(doc, new SyncStep2(state(Samples.docB())), "step2");
        assertEquals(List.of(connection, "step2"), origins);
    }

    @Test
    void aBadUpdateIsReportedAndLeavesTheDocumentAsItWas() {
        Doc doc = Samples.docA();
        byte[] before = state(doc);
        byte[] update = state(Samples.docB());
        byte[] truncated = Arrays.copyOf(update, update.length - 3);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> SyncProtocol.read(doc, new SyncUpdate(truncated), "remote"));
        assertEquals(ProtocolException.Kind.INVALID_UPDATE, e.kind());
        assertTrue(e.getMessage().startsWith("sync update: malformed update: "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" of the update)"), e.getMessage());
        assertArrayEquals(before, state(doc));
        assertEquals(ProtocolException.Kind.INVALID_UPDATE, assertThrows(ProtocolException.class,
                () -> SyncProtocol.read(doc, new SyncStep2(new byte[0]), "remote")).kind());
        // and the document still takes good updates
        SyncProtocol.read(doc, new SyncUpdate(update), "remote");
        assertEquals(Samples.load(5, state(Samples.docAB())).getText("content").toString(),
                doc.getText("content").toString());
    }

    @Test
    void aRefusedUpdateIsNotQuoted() {
        // one item in root map "a" whose ContentJson holds text that is not JSON
        byte[] json = "secret_token_material".getBytes(StandardCharsets.UTF_8);
        byte[] head = {1, 1, 1, 0, 2, 1, 1, 'a', 1, (byte) json.length};
        byte[] update = Arrays.copyOf(head, head.length + json.length + 1);
        System.arraycopy(json, 0, update, head.length, json.length);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> SyncProtocol.read(new Doc(5), new SyncUpdate(update), "remote"));
        assertEquals("sync update: malformed update: JSON content that does not parse (at byte 9 of the update)",
                e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains("secret"), t.getMessage());
        }
    }

    @Test
    void aBadStateVectorIsReported() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> SyncProtocol.read(Samples.docA(), new SyncStep1(new byte[] {3, 1}), "remote"));
        assertEquals(ProtocolException.Kind.MALFORMED, e.kind());
        assertTrue(e.getMessage().startsWith("sync step 1: malformed state vector: "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" of the state vector"), e.getMessage());
    }

    @Test
    void stepTwoPassesOnContentWaitingForItsDependencies() {
        Doc pending = Samples.docWithPending();
        Doc fresh = new Doc(50);
        SyncMessage step2 = SyncProtocol.read(pending, SyncProtocol.syncStep1(fresh), "remote").get(0);
        SyncProtocol.read(fresh, step2, "remote");
        assertTrue(fresh.hasPending(), "the pending content travelled with step 2");
    }

    /** BMP only: a random index could split a surrogate pair, which Yjs would send as U+FFFD. */
    private static final String[] CHUNKS = {"x", "é", "ß", "ab", "\n"};

    private static void edit(Doc doc, Random rng, int count) {
        YText text = doc.getText("content");
        for (int i = 0; i < count; i++) {
            int len = text.length();
            int op = rng.nextInt(10);
            if (op < 6 || len == 0) {
                text.insert(rng.nextInt(len + 1), CHUNKS[rng.nextInt(CHUNKS.length)]);
            } else if (op < 8) {
                int at = rng.nextInt(len);
                text.delete(at, 1 + rng.nextInt(Math.min(3, len - at)));
            } else if (op < 9) {
                doc.getMap("m").set("k" + rng.nextInt(3), (long) rng.nextInt(100));
            } else {
                int at = rng.nextInt(len);
                Map<String, Object> bold = new HashMap<>();
                bold.put("bold", rng.nextBoolean() ? Boolean.TRUE : null); // null removes the format
                text.format(at, 1, bold);
            }
        }
    }

    private static void assertConverged(Doc a, Doc b) {
        assertEquals(a.stateVector(), b.stateVector());
        assertEquals(a.getText("content").toDelta(), b.getText("content").toDelta());
        assertEquals(a.getMap("m").toJson(), b.getMap("m").toJson());
    }
}
