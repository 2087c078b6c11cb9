package dev.quire.server;

import dev.quire.testing.SyncTestClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.protocol.AwarenessEntry;
import dev.quire.protocol.AwarenessUpdate;
import dev.quire.protocol.Message;
import dev.quire.protocol.ProtocolCodec;
import dev.quire.protocol.SyncStep2;
import dev.quire.protocol.SyncUpdate;
import dev.quire.server.auth.User;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two users, two documents, each user on their own document only, both typing and moving cursors at once, on one
 * server: every frame each client receives is recorded and decoded, and none carries a byte of the other user's
 * text, awareness, user id or name. Each user has a Quire client (bearer header) and a stock one (ticket), so both
 * kinds of connection are checked.
 */
class IsolationTest {
    @TempDir
    Path dir;

    @Test
    void neitherUserReceivesAnyByteOfTheOthersDocumentOrAwareness() throws Exception {
        try (ServerFixture f = new ServerFixture(dir)) {
            User a = f.addUser("anna", "anna-password-1");
            User b = f.addUser("boris", "boris-password-1");
            String ta = f.login("anna", "anna-password-1").access();
            String tb = f.login("boris", "boris-password-1").access();
            String da = f.createDoc(ta, "anna's");
            String db = f.createDoc(tb, "boris's");

            SyncTestClient a1 = f.connectWithBearer(da, ta, true);
            SyncTestClient a2 = f.connectWithTicket(da, f.ticket(ta, da), false);
            SyncTestClient b1 = f.connectWithBearer(db, tb, true);
            SyncTestClient b2 = f.connectWithTicket(db, f.ticket(tb, db), false);

            StringBuilder textA = new StringBuilder();
            StringBuilder textB = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                String wa = "ALPHA-" + i + ";";
                String wb = "BRAVO-" + i + ";";
                a1.type(wa);
                b1.type(wb);
                textA.append(wa);
                textB.append(wb);
                // awareness that claims to be the other user: the server overwrites it with the connection's user
                a1.sendMessage(cursor(a1, i + 1, "cursor-of-anna-" + i, b.id()));
                b1.sendMessage(cursor(b1, i + 1, "cursor-of-boris-" + i, a.id()));
            }
            a2.awaitText(textA.toString());
            b2.awaitText(textB.toString());
            awaitAwareness(a2, a1.doc.clientId(), "cursor-of-anna-4");
            awaitAwareness(b2, b1.doc.clientId(), "cursor-of-boris-4");
            // the senders get their own states relayed back too (as from y-websocket); wait for those as well, or a
            // busy machine checks them before they arrive (a CI run did)
            awaitAwareness(a1, a1.doc.clientId(), "cursor-of-anna-4");
            awaitAwareness(b1, b1.doc.clientId(), "cursor-of-boris-4");

            for (SyncTestClient c : List.of(a1, a2)) {
                assertOnly(c, a, textA.toString(), b, "BRAVO", "cursor-of-boris");
            }
            for (SyncTestClient c : List.of(b1, b2)) {
                assertOnly(c, b, textB.toString(), a, "ALPHA", "cursor-of-anna");
            }
            for (SyncTestClient c : List.of(a1, a2, b1, b2)) {
                c.closeBlocking();
            }
        }
    }

    private static AwarenessUpdate cursor(SyncTestClient c, long clock, String cursor, String claimedUserId) {
        String state = "{\"user\":{\"id\":\"" + claimedUserId + "\",\"name\":\"impostor\",\"color\":\"#f00\"},"
                + "\"cursor\":\"" + cursor + "\"}";
        return AwarenessUpdate.of(new AwarenessEntry(c.doc.clientId(), clock, state));
    }

    /** Waits until {@code c} has received the awareness state of {@code clientId} with this cursor. */
    private static void awaitAwareness(SyncTestClient c, long clientId, String cursor) throws InterruptedException {
        while (true) {
            AwarenessUpdate u = c.next(AwarenessUpdate.class);
            for (AwarenessEntry e : u.entries()) {
                if (e.clientId() == clientId && !e.isRemoval() && e.stateJson().contains(cursor)) {
                    return;
                }
            }
        }
    }

    /**
     * Everything {@code c} received is about {@code user}'s document: the document it makes holds exactly
     * {@code text}, every awareness state is {@code user}'s, and no frame holds the other user's id, name or markers.
     */
    private static void assertOnly(SyncTestClient c, User user, String text, User other, String... otherMarkers)
            throws Exception {
        List<byte[]> frames = c.frames();
        assertFalse(frames.isEmpty());
        Doc replay = new Doc();
        Set<String> awarenessUsers = new HashSet<>();
        for (byte[] frame : frames) {
            String raw = new String(frame, StandardCharsets.ISO_8859_1); // byte for byte
            for (String marker : List.of(other.id(), other.name(), otherMarkers[0], otherMarkers[1])) {
                assertFalse(raw.contains(marker), () -> "a frame holds '" + marker + "'");
            }
            Message m = ProtocolCodec.decode(frame);
            if (m instanceof SyncStep2 s2) {
                Updates.applyUpdate(replay, s2.update(), null);
            } else if (m instanceof SyncUpdate u) {
                Updates.applyUpdate(replay, u.update(), null);
            } else if (m instanceof AwarenessUpdate aw) {
                for (AwarenessEntry e : aw.entries()) {
                    if (!e.isRemoval()) {
                        JsonNode state = ServerFixture.JSON.readTree(e.stateJson());
                        awarenessUsers.add(state.path("user").path("id").asText());
                        assertEquals(user.name(), state.path("user").path("name").asText());
                    }
                }
            }
        }
        assertEquals(Set.of(user.id()), awarenessUsers, "awareness user ids seen");
        // the typist receives no text (its own edits are not echoed), the watcher all of it, nothing else
        String received = replay.getText("t").toString();
        assertTrue(received.isEmpty() || received.equals(text), "received text '" + received + "'");
        assertEquals(text, c.text());
    }
}
