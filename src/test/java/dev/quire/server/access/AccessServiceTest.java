package dev.quire.server.access;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.server.storage.ClientIdTakenException;
import dev.quire.server.storage.H2DocumentStore;
import dev.quire.server.storage.H2Storage;
import dev.quire.server.storage.HistoryEntry;
import dev.quire.server.storage.ShareInfo;
import dev.quire.server.storage.ShareRole;
import dev.quire.server.storage.WorkspaceInfo;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AccessService over a real H2 database: roles, sharing, workspaces, and who may do what. */
class AccessServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final Set<String> USERS = Set.of("alice", "bob", "carol", "dave");

    @TempDir
    Path dir;
    private H2Storage storage;
    private AccessService access;

    @BeforeEach
    void open() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        storage = H2Storage.open(dir, H2DocumentStore.Options.defaults().withClock(clock));
        access = new AccessService(storage.documents(), storage.workspaces(), USERS::contains, clock);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    /** A document of alice's, shared with bob as reader and carol as writer; dave is a stranger. */
    private String sharedDoc() {
        String id = access.createDocument("alice", "Plan").document().id();
        access.share("alice", id, "bob", Role.READER);
        access.share("alice", id, "carol", Role.WRITER);
        return id;
    }

    private static byte[] edit(long clientId, String text) {
        Doc d = new Doc(clientId);
        d.getText("content").insert(0, text);
        return Updates.encodeStateAsUpdate(d);
    }

    @Test
    void theWorkspaceOwnerOwnsSharesGiveTheirRoleAndStrangersHaveNone() {
        String id = sharedDoc();
        assertEquals(Optional.of(Role.OWNER), access.roleOf("alice", id));
        assertEquals(Optional.of(Role.READER), access.roleOf("bob", id));
        assertEquals(Optional.of(Role.WRITER), access.roleOf("carol", id));
        assertEquals(Optional.empty(), access.roleOf("dave", id));
        assertEquals(Optional.empty(), access.roleOf("alice", "no-such-document"));
    }

    // ---- the 404-vs-403 matrix ----

    /** One operation, and the least role it needs. */
    private record Op(String name, Role needs, OpCall call) {
    }

    @FunctionalInterface
    private interface OpCall {
        void run(AccessService a, String user, String docId);
    }

    private static final List<Op> OPS = List.of(
            new Op("document", Role.READER, (a, u, d) -> a.document(u, d)),
            new Op("export", Role.READER, (a, u, d) -> a.exportUpdate(u, d)),
            new Op("history", Role.READER, (a, u, d) -> a.history(u, d, 0, 100)),
            new Op("writerOf", Role.READER, (a, u, d) -> a.writerOf(u, d, 1, 0)),
            new Op("rename", Role.WRITER, (a, u, d) -> a.rename(u, d, "Renamed")),
            new Op("import", Role.WRITER, (a, u, d) -> a.importUpdate(u, d, edit(700 + u.length(), "x"), "http-1")),
            new Op("shares", Role.OWNER, (a, u, d) -> a.shares(u, d)),
            new Op("share", Role.OWNER, (a, u, d) -> a.share(u, d, "dave", Role.READER)),
            new Op("unshare another user", Role.OWNER, (a, u, d) -> a.unshare(u, d, u.equals("bob") ? "carol" : "bob")),
            new Op("delete", Role.OWNER, (a, u, d) -> a.delete(u, d)));

    @Test
    void strangersGetNotFoundLowRolesGetForbiddenAndEnoughRoleSucceeds() {
        List<String> users = List.of("dave", "bob", "carol", "alice");
        List<Role> roles = new ArrayList<>(List.of(Role.READER, Role.WRITER, Role.OWNER));
        roles.add(0, null); // dave: stranger
        for (Op op : OPS) {
            for (int i = 0; i < users.size(); i++) {
                String user = users.get(i);
                Role role = roles.get(i);
                String id = sharedDoc();
                String what = op.name() + " by " + user;
                if (role == null) {
                    AccessDeniedException e = assertThrows(AccessDeniedException.class,
                            () -> op.call().run(access, user, id), what);
                    assertEquals(AccessDeniedException.Kind.NOT_FOUND, e.kind(), what);
                    // the same answer as for a document that does not exist
                    AccessDeniedException none = assertThrows(AccessDeniedException.class,
                            () -> op.call().run(access, user, "missing-doc"), what);
                    assertEquals(none.kind(), e.kind());
                    assertEquals(none.getMessage().replace("missing-doc", "ID"), e.getMessage().replace(id, "ID"));
                } else if (role.compareTo(op.needs()) < 0) {
                    byte[] before = storage.documents().loadState(id);
                    AccessDeniedException e = assertThrows(AccessDeniedException.class,
                            () -> op.call().run(access, user, id), what);
                    assertEquals(AccessDeniedException.Kind.FORBIDDEN, e.kind(), what);
                    assertArrayEquals(before, storage.documents().loadState(id), what + ": nothing changed");
                    assertEquals("Plan", access.document("alice", id).document().title(), what);
                    assertEquals(Optional.empty(), access.roleOf("dave", id), what + ": no share was added");
                } else {
                    op.call().run(access, user, id);
                }
            }
        }
    }

    // ---- workspaces ----

    @Test
    void theDefaultWorkspaceIsCreatedOnceEvenByConcurrentFirstCalls() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<WorkspaceInfo>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return access.defaultWorkspace("newcomer");
                }));
            }
            start.countDown();
            Set<String> ids = new HashSet<>();
            for (Future<WorkspaceInfo> f : results) {
                ids.add(f.get(30, TimeUnit.SECONDS).id());
            }
            assertEquals(1, ids.size());
        } finally {
            pool.shutdownNow();
        }
        List<WorkspaceInfo> all = access.workspaces("newcomer");
        assertEquals(1, all.size());
        assertTrue(all.get(0).isDefault());
        assertEquals(AccessService.DEFAULT_WORKSPACE_NAME, all.get(0).name());
    }

    @Test
    void documentsGoToTheDefaultWorkspaceOrToOneTheUserOwns() {
        WorkspaceInfo work = access.createWorkspace("alice", "Work");
        DocumentView inDefault = access.createDocument("alice", "a");
        DocumentView inWork = access.createDocument("alice", "b", work.id());

        assertEquals(access.defaultWorkspace("alice").id(), inDefault.document().workspaceId());
        assertEquals(work.id(), inWork.document().workspaceId());
        assertEquals(List.of(inWork.document().id()),
                access.documents("alice", work.id()).stream().map(v -> v.document().id()).toList());
        assertEquals(List.of("My documents", "Work"), access.workspaces("alice").stream().map(WorkspaceInfo::name)
                .toList());

        // another user's workspace does not exist for bob, exactly like one that does not exist at all
        AccessDeniedException theirs = assertThrows(AccessDeniedException.class,
                () -> access.createDocument("bob", "c", work.id()));
        AccessDeniedException none = assertThrows(AccessDeniedException.class,
                () -> access.createDocument("bob", "c", "missing-ws"));
        assertEquals(AccessDeniedException.Kind.NOT_FOUND, theirs.kind());
        assertEquals(none.getMessage().replace("missing-ws", "ID"), theirs.getMessage().replace(work.id(), "ID"));
        assertThrows(AccessDeniedException.class, () -> access.documents("bob", work.id()));
        assertEquals(List.of(), access.documents("bob"));
    }

    @Test
    void aUserListsTheirOwnDocumentsAndThoseSharedWithThemWithTheirRole() {
        String mine = access.createDocument("bob", "bob's").document().id();
        String shared = sharedDoc();
        access.createDocument("alice", "not shared");

        List<DocumentView> bobs = access.documents("bob");
        assertEquals(List.of(mine, shared), bobs.stream().map(v -> v.document().id()).toList());
        assertEquals(List.of(Role.OWNER, Role.READER), bobs.stream().map(DocumentView::role).toList());
        assertEquals(2, access.documents("alice").size());
        assertEquals(List.of(), access.documents("dave"));
    }

    // ---- sharing ----

    @Test
    void sharingChangesRolesAndUnsharingMakesTheDocumentVanish() {
        String id = sharedDoc();
        ShareInfo promoted = access.share("alice", id, "bob", Role.WRITER);
        assertEquals(ShareRole.WRITER, promoted.role());
        assertEquals(Optional.of(Role.WRITER), access.roleOf("bob", id));
        assertEquals(List.of("bob", "carol"), access.shares("alice", id).stream().map(ShareInfo::userId).sorted()
                .toList());

        assertTrue(access.unshare("alice", id, "bob"));
        assertFalse(access.unshare("alice", id, "bob"), "already gone");
        assertEquals(Optional.empty(), access.roleOf("bob", id));
        assertEquals(AccessDeniedException.Kind.NOT_FOUND,
                assertThrows(AccessDeniedException.class, () -> access.exportUpdate("bob", id)).kind());

        assertTrue(access.unshare("carol", id, "carol"), "a user may leave a document shared with them");
        assertEquals(List.of(), access.shares("alice", id));
    }

    @Test
    void aShareNeedsAnExistingOtherUserAndAReaderOrWriterRole() {
        String id = sharedDoc();
        assertThrows(IllegalArgumentException.class, () -> access.share("alice", id, "nobody", Role.READER));
        assertThrows(IllegalArgumentException.class, () -> access.share("alice", id, "alice", Role.WRITER));
        assertThrows(IllegalArgumentException.class, () -> access.share("alice", id, "dave", Role.OWNER));
        assertEquals(Optional.empty(), access.roleOf("dave", id));
        // a stranger asking about users learns nothing: the document answer comes first
        assertEquals(AccessDeniedException.Kind.NOT_FOUND, assertThrows(AccessDeniedException.class,
                () -> access.share("dave", id, "nobody", Role.READER)).kind());
    }

    @Test
    void deletingADocumentDeletesItsShares() {
        String id = sharedDoc();
        access.delete("alice", id);
        assertEquals(List.of(), storage.workspaces().sharedWith("bob"));
        assertEquals(List.of(), access.documents("carol"));
        assertEquals(Optional.empty(), access.roleOf("alice", id));
        assertEquals(AccessDeniedException.Kind.NOT_FOUND,
                assertThrows(AccessDeniedException.class, () -> access.delete("alice", id)).kind());
    }

    // ---- content ----

    @Test
    void importsAreAttributedToTheWriterAndExportsGiveTheWholeDocument() {
        String id = sharedDoc();
        byte[] update = edit(42, "hello");
        assertTrue(access.importUpdate("carol", id, update, "http-7").stored());

        HistoryEntry h = access.history("bob", id, 0, 10).get(0);
        assertEquals("carol", h.userId());
        assertEquals("http-7", h.connectionId());
        assertEquals(NOW, h.serverTime());
        assertEquals("carol", access.writerOf("bob", id, 42, 3).orElseThrow().userId());

        Doc copy = new Doc(1);
        Updates.applyUpdate(copy, access.exportUpdate("bob", id));
        assertEquals("hello", copy.getText("content").toString());

        // alice may not write under carol's client id
        assertThrows(ClientIdTakenException.class, () -> access.importUpdate("alice", id, edit(42, "hello again"),
                "http-8"));
    }

    @Test
    void namesAndTitlesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> access.createWorkspace("alice", " "));
        assertThrows(IllegalArgumentException.class, () -> access.createWorkspace("alice", "x".repeat(201)));
        assertThrows(IllegalArgumentException.class, () -> access.createWorkspace("alice", "two\nlines"));
        assertThrows(IllegalArgumentException.class, () -> access.createDocument("alice", "x".repeat(1001)));
        assertThrows(IllegalArgumentException.class, () -> access.createDocument("alice", null));
        String id = access.createDocument("alice", "").document().id(); // an empty title is allowed
        assertThrows(IllegalArgumentException.class, () -> access.rename("alice", id, "tab\there"));
        assertEquals("x".repeat(200), access.createWorkspace("alice", "x".repeat(200)).name());
        assertEquals(1, access.documents("alice").size(), "nothing was created by a refused call");
    }
}
