package dev.quire.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.server.storage.H2DocumentStore;
import dev.quire.server.storage.H2Storage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "Which user wrote this range": spans of one writer each, from the attributed update log. */
class AuthorshipTest {
    @TempDir
    Path dir;
    private H2Storage storage;
    private AccessService access;
    private String docId;

    @BeforeEach
    void open() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
        storage = H2Storage.open(dir, H2DocumentStore.Options.defaults().withClock(clock));
        access = new AccessService(storage.documents(), storage.workspaces(), Set.of("alice", "bob")::contains,
                clock);
        docId = access.createDocument("alice", "Notes").document().id();
        access.share("alice", docId, "bob", Role.WRITER);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void interleavedWritersComeOutAsSpansInTextOrder() {
        Doc alice = new Doc(11);
        Doc bob = new Doc(22);
        alice.getText("text").insert(0, "Hello world");          // alice: "Hello world"
        access.importUpdate("alice", docId, Updates.encodeStateAsUpdate(alice), "c-1");
        Updates.applyUpdate(bob, access.exportUpdate("bob", docId));
        byte[] before = Updates.encodeStateVector(bob);
        bob.getText("text").insert(5, ", dear");                  // "Hello, dear world"
        access.importUpdate("bob", docId, Updates.encodeStateAsUpdate(bob, before), "c-2");
        Updates.applyUpdate(alice, access.exportUpdate("alice", docId));
        byte[] aliceBefore = Updates.encodeStateVector(alice);
        alice.getText("text").insert(17, "!");                    // "Hello, dear world!"
        access.importUpdate("alice", docId, Updates.encodeStateAsUpdate(alice, aliceBefore), "c-3");

        List<AuthorSpan> spans = access.authors("bob", docId, "text", 0, 100);
        assertEquals(List.of("0-5 alice", "5-11 bob", "11-18 alice"), spans.stream()
                .map(s -> s.from() + "-" + s.to() + " " + s.writer().orElseThrow().userId()).toList());

        List<AuthorSpan> middle = access.authors("alice", docId, "text", 7, 9);
        assertEquals(1, middle.size());
        assertEquals("bob", middle.get(0).writer().orElseThrow().userId());
        assertEquals("c-2", middle.get(0).writer().orElseThrow().connectionId());
    }

    @Test
    void strangersAndBadRangesAreRefused() {
        assertThrows(AccessDeniedException.class, () -> access.authors("carol", docId, "text", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> access.authors("alice", docId, "text", 3, 1));
        assertEquals(List.of(), access.authors("alice", docId, "text", 0, 0));
    }
}
