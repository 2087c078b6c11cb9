package dev.quire.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 5: "A Yjs client id is bound to the first user who writes with it", per document, in H2DocumentStore. */
class ClientIdBindingTest {
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path dir;
    private H2DocumentStore store;
    private String doc;

    @BeforeEach
    void open() {
        // one cached document: every other document access rebuilds the bindings from the database
        store = H2DocumentStore.open(dir, H2DocumentStore.Options.defaults().withCachedDocuments(1));
        doc = store.createDocument("ws", "alice", "Notes").id();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Appended append(byte[] update, String user) {
        return store.appendUpdate(doc, update, user, "conn-" + user, T);
    }

    @Test
    void anotherUsersUpdateUnderABoundClientIdIsRefusedAndNothingIsStored() {
        Editor alice = new Editor(11);
        append(alice.edit(t -> t.insert(0, "alice's text")), "alice");
        byte[] state = store.loadState(doc);

        // mallory's client claims alice's client id and continues her clock
        byte[] forged = forge(11, 12, "not alice");
        ClientIdTakenException e = assertThrows(ClientIdTakenException.class, () -> append(forged, "mallory"));

        assertEquals(11, e.clientId());
        assertEquals(doc, e.docId());
        assertFalse(e.getMessage().contains("alice"), "the message does not say whose id it is");
        assertArrayEquals(state, store.loadState(doc), "the document is unchanged");
        assertEquals(1, store.history(doc).size());
        store.close();
        open2();
        assertThrows(ClientIdTakenException.class, () -> append(forged, "mallory"), "the binding is durable");
        assertArrayEquals(state, store.loadState(doc));
    }

    @Test
    void theSameUserMayWriteWithItsClientIdFromAnyConnection() {
        Editor alice = new Editor(11);
        append(alice.edit(t -> t.insert(0, "one")), "alice");
        Appended second = store.appendUpdate(doc, alice.edit(t -> t.insert(3, " two")), "alice", "another", T);
        assertTrue(second.stored());
        assertEquals(7, second.clockOf(11));
    }

    @Test
    void contentTheServerAlreadyHasMayBeRelayedByAnyone() {
        Editor alice = new Editor(11);
        append(alice.edit(t -> t.insert(0, "alice")), "alice");
        Editor bob = new Editor(22);
        bob.receive(store.loadState(doc));
        bob.edit(t -> t.insert(5, " and bob"));

        // a stock y-websocket client sends its whole state in sync step 2: alice's items included
        Appended a = append(Updates.encodeStateAsUpdate(bob.doc), "bob");
        assertTrue(a.stored());
        assertEquals("alice and bob", load().getText("content").toString());
        // and a plain re-send of alice's update by bob adds nothing and is accepted
        assertFalse(append(Updates.encodeStateAsUpdate(alice.doc), "bob").stored());
    }

    @Test
    void anyWriterMayDeleteAnotherUsersText() {
        Editor alice = new Editor(11);
        append(alice.edit(t -> t.insert(0, "alice wrote this")), "alice");
        Editor bob = new Editor(22);
        bob.receive(store.loadState(doc));
        assertTrue(append(bob.edit(t -> t.delete(0, 6)), "bob").stored());
        assertEquals("wrote this", load().getText("content").toString());
    }

    @Test
    void oneForeignClientRefusesTheWholeUpdateAndBindsNothing() {
        Editor alice = new Editor(11);
        append(alice.edit(t -> t.insert(0, "a")), "alice");
        // one update that carries new content of client 33 (unbound) and of client 11 (alice's)
        byte[] both = Updates.mergeUpdates(List.of(forge(11, 1, "b"), new Editor(33).edit(t -> t.insert(0, "c"))));

        assertThrows(ClientIdTakenException.class, () -> append(both, "mallory"));
        assertEquals("a", load().getText("content").toString());
        // 33 was not bound to mallory: carol may take it
        Editor carol = new Editor(33);
        carol.receive(store.loadState(doc));
        assertTrue(append(carol.edit(t -> t.insert(0, "carol")), "carol").stored());
    }

    @Test
    void contentThatWaitsForItsPredecessorIsCheckedToo() {
        Editor alice = new Editor(11);
        byte[] first = alice.edit(t -> t.insert(0, "ab"));
        append(first, "alice");
        Editor mallory = new Editor(11);
        mallory.edit(t -> t.insert(0, "xy"));
        mallory.edit(t -> t.insert(2, "cd"));
        byte[] gap = mallory.edit(t -> t.insert(4, "ef")); // depends on "cd", which the server never gets

        assertThrows(ClientIdTakenException.class, () -> append(gap, "mallory"));
        assertFalse(load().hasPending(), "nothing was kept waiting");
    }

    @Test
    void waitingContentRelayedByAnotherUserIsNotNewToTheServer() {
        Editor alice = new Editor(11);
        byte[] first = alice.edit(t -> t.insert(0, "ab"));
        byte[] second = alice.edit(t -> t.insert(2, "cd"));
        append(second, "alice"); // arrives first: waits for `first`
        // bob loads the document, waiting content included, and sends it back with his own edit
        Doc bob = new Doc(22);
        Updates.applyUpdate(bob, store.loadState(doc));
        assertTrue(bob.hasPending());
        bob.getText("content").insert(0, "bob ");
        assertTrue(append(Updates.encodeStateAsUpdate(bob), "bob").stored());

        append(first, "alice");
        String text = load().getText("content").toString();
        assertTrue(text.contains("abcd") && text.contains("bob "), text);
    }

    /**
     * An update under {@code clientId} at clocks {@code [clock, ...)}, written by a client that never received the
     * document: it made {@code clock} characters of its own first, so its clock lines up with the real writer's.
     */
    private static byte[] forge(long clientId, int clock, String text) {
        Editor e = new Editor(clientId);
        e.edit(t -> t.insert(0, "x".repeat(clock)));
        return e.edit(t -> t.insert(clock, text));
    }

    private void open2() {
        store = H2DocumentStore.open(dir, H2DocumentStore.Options.defaults().withCachedDocuments(1));
    }

    private Doc load() {
        Doc d = new Doc(1000);
        Updates.applyUpdate(d, store.loadState(doc));
        return d;
    }
}
