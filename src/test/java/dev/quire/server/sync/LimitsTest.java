package dev.quire.server.sync;

import dev.quire.testing.SyncTestClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.protocol.Ack;
import dev.quire.protocol.AwarenessUpdate;
import dev.quire.protocol.ErrorMessage;
import dev.quire.protocol.ProtocolCodec;
import dev.quire.protocol.QueryAwareness;
import dev.quire.protocol.SyncStep2;
import dev.quire.protocol.SyncUpdate;
import dev.quire.server.access.Role;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input closes the connection that sent it, with a code that says why; nothing corrupt is stored and the other
 * connections on the same document carry on.
 */
class LimitsTest {
    @TempDir
    Path dir;

    /** Runs {@code misbehave} on one client of a document, then shows that two others still sync and get acks. */
    private SyncTestClient.Closed misbehaving(UnaryOperator<SyncServerConfig> config, boolean quire,
                                          ThrowingConsumer<SyncTestClient> misbehave) throws Exception {
        try (SyncFixture f = new SyncFixture(dir, config)) {
            String doc = f.createDoc("alice");
            f.grant("bob", doc, Role.WRITER);
            f.grant("mallory", doc, Role.WRITER);
            SyncTestClient alice = f.quire(doc, f.token("alice"));
            SyncTestClient bob = f.stock(doc, f.token("bob"));
            SyncTestClient mallory = quire ? f.quire(doc, f.token("mallory")) : f.stock(doc, f.token("mallory"));
            alice.next(SyncStep2.class);
            bob.next(SyncStep2.class);
            mallory.next(SyncStep2.class);
            int storedBefore = f.store.history(doc).size();

            misbehave.accept(mallory);
            SyncTestClient.Closed closed = mallory.awaitClose();

            assertEquals(storedBefore, f.store.history(doc).size(), "nothing stored");
            alice.edit(d -> d.getText("t").insert(0, "ok"));
            alice.next(Ack.class);
            bob.awaitText("ok");
            bob.edit(d -> d.getText("t").insert(2, "!"));
            alice.awaitText("ok!");
            return closed;
        }
    }

    @FunctionalInterface
    interface ThrowingConsumer<T> {
        void accept(T t) throws Exception;
    }

    @Test
    void aMalformedFrameCloses1007() throws Exception {
        SyncTestClient.Closed closed = misbehaving(c -> c, false, m -> m.send(new byte[] {0, 0, 50, 1}));
        assertEquals(1007, closed.code());
        assertEquals("MALFORMED", closed.reason());
    }

    @Test
    void aStep1WhoseStateVectorIsMalformedCloses1007() throws Exception {
        // a well-formed frame (sync, step 1, 2 bytes) whose state vector announces 5 clients and ends after one id
        SyncTestClient.Closed closed = misbehaving(c -> c, false, m -> m.send(new byte[] {0, 0, 2, 5, 1}));
        assertEquals(1007, closed.code());
        assertEquals("MALFORMED", closed.reason());
    }

    @Test
    void aTruncatedFrameCloses1007() throws Exception {
        byte[] frame = ProtocolCodec.encode(new SyncUpdate(new byte[] {1, 1, 5, 0, 4, 1, 1, 't', 1, 'x', 0}));
        byte[] truncated = java.util.Arrays.copyOf(frame, frame.length - 4);
        SyncTestClient.Closed closed = misbehaving(c -> c, true, m -> m.send(truncated));
        assertEquals(1007, closed.code());
    }

    @Test
    void anOversizedFrameCloses1009() throws Exception {
        SyncTestClient.Closed closed = misbehaving(c -> c.withMaxFrameBytes(1024), false,
                m -> m.send(ProtocolCodec.encode(new SyncUpdate(new byte[4096]))));
        assertEquals(1009, closed.code());
    }

    @Test
    void anUpdateTheDocumentCannotApplyCloses1007AndIsNotStored() throws Exception {
        SyncTestClient.Closed closed = misbehaving(c -> c, true, m -> {
            m.autoSync = false;
            m.sendMessage(new SyncUpdate(new byte[] {1, 1, 5, 0, (byte) 0xff, 0x7f, 0x7f}));
            assertEquals("INVALID_UPDATE", m.next(ErrorMessage.class).code());
        });
        assertEquals(1007, closed.code());
        assertEquals("INVALID_UPDATE", closed.reason());
    }

    @Test
    void aFloodCloses1008RateLimited() throws Exception {
        SyncTestClient.Closed closed = misbehaving(c -> c.withRate(new SyncServerConfig.RateLimit(1, 20)), false, m -> {
            for (int i = 0; i < 40; i++) {
                try {
                    m.sendMessage(new QueryAwareness());
                } catch (org.java_websocket.exceptions.WebsocketNotConnectedException closedAlready) {
                    break; // the server cut the flood short before it was all sent: what this test wants
                }
            }
        });
        assertEquals(1008, closed.code());
        assertEquals("RATE_LIMITED", closed.reason());
    }

    @Test
    void aTextFrameCloses1003() throws Exception {
        SyncTestClient.Closed closed = misbehaving(c -> c, false, m -> m.send("hello"));
        assertEquals(1003, closed.code());
    }

    @Test
    void unknownMessageTypesAreIgnored() throws Exception {
        try (SyncFixture f = new SyncFixture(dir)) {
            String doc = f.createDoc("alice");
            SyncTestClient alice = f.quire(doc, f.token("alice"));
            alice.next(SyncStep2.class);
            alice.send(new byte[] {42, 1, 2, 3});
            alice.send(new byte[] {(byte) ProtocolCodec.MESSAGE_QUIRE, 99});
            alice.sendMessage(new QueryAwareness());
            alice.next(AwarenessUpdate.class);
            assertTrue(alice.isOpen());
        }
    }
}
