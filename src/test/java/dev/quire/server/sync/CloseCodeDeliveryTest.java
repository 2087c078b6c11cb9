package dev.quire.server.sync;

import dev.quire.testing.SyncTestClient;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quire.protocol.ProtocolCodec;
import dev.quire.protocol.QueryAwareness;
import dev.quire.protocol.SyncStep2;
import java.nio.file.Path;
import java.util.Map;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that is still sending when the server closes it must still read the close code: a browser learns why it
 * was refused from nothing else. Java-WebSocket's server drops the TCP connection right after its close frame; with
 * the client's frames still arriving, the client got a RST and reported 1006 (a flood of 5 rounds failed about every other run before
 * SyncServer sent its close frames itself and waited for the answer).
 */
class CloseCodeDeliveryTest {
    private static final int ROUNDS = 10;

    @TempDir
    Path dir;

    @Test
    void aFlooderStillReadsRateLimited() throws Exception {
        try (SyncFixture f = new SyncFixture(dir)) {
            String doc = f.createDoc("alice");
            byte[] query = ProtocolCodec.encode(new QueryAwareness());
            for (int round = 0; round < ROUNDS; round++) {
                SyncTestClient flooder = f.quire(doc, f.token("alice"));
                flooder.next(SyncStep2.class);
                try {
                    for (int i = 0; i < 5000 && !flooder.closed.isDone(); i++) {
                        flooder.send(query);
                    }
                } catch (WebsocketNotConnectedException closedMeanwhile) {
                    // closed between the check and the send
                }
                SyncTestClient.Closed closed = flooder.awaitClose();
                assertEquals(1008, closed.code(), "round " + round);
                assertEquals("RATE_LIMITED", closed.reason());
            }
        }
    }

    @Test
    void aRefusedClientThatWritesAtOnceStillReadsItsCode() throws Exception {
        try (SyncFixture f = new SyncFixture(dir)) {
            String doc = f.createDoc("alice");
            for (int round = 0; round < ROUNDS; round++) {
                // a stranger: refused FORBIDDEN; it sends sync step 1 on open, and more while the refusal is on its way
                SyncTestClient stranger = new SyncTestClient(f.uri(doc), false,
                        Map.of("Authorization", "Bearer " + f.token("mallory")));
                stranger.connectBlocking();
                try {
                    for (int i = 0; i < 2000 && !stranger.closed.isDone(); i++) {
                        stranger.send(ProtocolCodec.encode(new QueryAwareness()));
                    }
                } catch (WebsocketNotConnectedException closedMeanwhile) {
                    // closed between the check and the send
                }
                SyncTestClient.Closed closed = stranger.awaitClose();
                assertEquals(1008, closed.code(), "round " + round);
                assertEquals("FORBIDDEN", closed.reason());
                assertEquals(0, closed.framesBefore());
            }
        }
    }
}
