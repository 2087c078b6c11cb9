package dev.quire.engine;

import static dev.quire.engine.EngineFixture.await;
import static dev.quire.engine.EngineFixture.awaitDrained;
import static dev.quire.engine.EngineFixture.awaitState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.net.DocumentsApi;
import dev.quire.sync.ConnectionState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's engine parts, against the real server: a profile backed up with unsent edits and restored on another
 * machine (they reach the server from there); the document list kept for offline; workspaces; read-only for readers.
 */
class ProfileAndListingTest {
    @TempDir
    Path dir;

    @Test
    void aBackupCarriesDocumentsAndUnsentEditsToAnotherMachine() throws Exception {
        try (EngineFixture fx = new EngineFixture(dir, Clock.systemUTC(), Duration.ofMinutes(15))) {
            String docId = fx.createDocument("alice", "travels");
            Account onDesk = fx.signIn(fx.engine("desk"), "alice");
            OpenDocument d = onDesk.open(docId);
            awaitState(d, ConnectionState.CONNECTED);
            insert(d, "synced ");
            awaitDrained(d);
            fx.syncProxy.refuse(true); // offline: the next edits stay on the desk
            await("offline", () -> d.status().connection().state() != ConnectionState.CONNECTED);
            insert(d, "offline");
            await("queued", () -> d.status().queued() == 1);
            Path file = dir.resolve("desk-backup.zip");
            ProfileBackup.Summary written = onDesk.backup(file);
            assertEquals(new ProfileBackup.Summary(1, 1, 0), written);
            d.close();
            onDesk.close();

            ClientEngine laptop = fx.engine("laptop");
            Account bob = fx.signIn(laptop, "bob");
            ProfileBackup.BackupException notHis = assertThrows(ProfileBackup.BackupException.class,
                    () -> bob.restore(file));
            assertTrue(notHis.getMessage().contains("sign in as that user"), notHis.getMessage());
            bob.close();
            Path damaged = dir.resolve("damaged.zip");
            copyWithCutState(file, damaged); // the document's state cut short inside an intact zip
            Path notABackup = dir.resolve("photo.zip");
            Files.write(notABackup, new byte[] {1, 2, 3, 4, 5});

            fx.syncProxy.refuse(false);
            Account onLaptop = fx.signIn(laptop, "alice");
            assertTrue(assertThrows(ProfileBackup.BackupException.class, () -> onLaptop.restore(damaged))
                    .getMessage().contains("damaged"));
            assertTrue(assertThrows(ProfileBackup.BackupException.class, () -> onLaptop.restore(notABackup))
                    .getMessage().contains("not a Quire backup"));
            assertTrue(onLaptop.unsentCounts().isEmpty(), "a damaged backup changed nothing");
            assertEquals(new ProfileBackup.Summary(1, 1, 0), onLaptop.restore(file));
            assertEquals(1, onLaptop.unsentCounts().get(docId));
            OpenDocument there = onLaptop.open(docId);
            assertEquals("synced offline", EngineFixture.text(there), "opens offline with everything");
            awaitDrained(there);
            assertEquals("synced offline", fx.serverText("alice", docId));
            there.close();
        }
    }

    /**
     * A document created offline is not on the server: its backup carries its creation too, and restored elsewhere it
     * is created there, listed, and its edits sent.
     */
    @Test
    void aBackupCarriesADocumentCreatedOfflineWithItsCreation() throws Exception {
        try (EngineFixture fx = new EngineFixture(dir, Clock.systemUTC(), Duration.ofMinutes(15))) {
            Account onDesk = fx.signIn(fx.engine("desk"), "alice");
            fx.httpProxy.refuse(true); // offline: the document is made on this computer only
            fx.syncProxy.refuse(true);
            String docId = onDesk.newDocument("written on the train", null).id();
            OpenDocument d = onDesk.open(docId);
            insert(d, "offline from the start");
            await("queued", () -> d.status().queued() == 1);
            Path file = dir.resolve("train-backup.zip");
            assertEquals(new ProfileBackup.Summary(1, 1, 1), onDesk.backup(file));
            d.close();
            onDesk.close();

            fx.httpProxy.refuse(false);
            fx.syncProxy.refuse(false);
            Account onLaptop = fx.signIn(fx.engine("laptop"), "alice");
            assertEquals(new ProfileBackup.Summary(1, 1, 1), onLaptop.restore(file));
            onLaptop.restore(file); // by mistake, twice: the server still makes one document of it
            Account.Listing listed = onLaptop.listing(null).get(30, TimeUnit.SECONDS);
            assertEquals(java.util.List.of("written on the train"), listed.documents().stream()
                    .map(DocumentsApi.DocumentInfo::title).toList());
            assertEquals(0, listed.queuedChanges(), "the creation reached the server");
            assertEquals(1, fx.documentsOf("alice").size());
            OpenDocument there = onLaptop.open(docId);
            awaitDrained(there);
            assertEquals("offline from the start", fx.serverText("alice", docId));
            there.close();
        }
    }

    @Test
    void theListIsKeptForOfflineAndWorkspacesAreCreatedRenamedAndListed() throws Exception {
        try (EngineFixture fx = new EngineFixture(dir, Clock.systemUTC(), Duration.ofMinutes(15))) {
            Account alice = fx.signIn(fx.engine("desk"), "alice");
            String first = alice.createDocument("first").get(30, TimeUnit.SECONDS).id();
            Account.Listing online = alice.listing(null).get(30, TimeUnit.SECONDS);
            assertFalse(online.cached());
            assertEquals(java.util.List.of(first), online.documents().stream().map(DocumentsApi.DocumentInfo::id)
                    .toList());

            DocumentsApi.WorkspaceInfo ws = alice.request((api, t) -> api.createWorkspace(t, "Drafts"))
                    .get(30, TimeUnit.SECONDS);
            alice.request((api, t) -> api.create(t, "in drafts", ws.id())).get(30, TimeUnit.SECONDS);
            alice.request((api, t) -> api.renameWorkspace(t, ws.id(), "Ideas")).get(30, TimeUnit.SECONDS);
            Account.Listing drafts = alice.listing(ws.id()).get(30, TimeUnit.SECONDS);
            assertEquals(ws.id(), drafts.workspace());
            assertEquals(java.util.List.of("in drafts"), drafts.documents().stream()
                    .map(DocumentsApi.DocumentInfo::title).toList());
            assertTrue(drafts.workspaces().stream().anyMatch(w -> w.name().equals("Ideas")));

            fx.httpProxy.refuse(true); // the server is out of reach: the list kept from last time
            Account.Listing offline = alice.listing(null).get(30, TimeUnit.SECONDS);
            assertTrue(offline.cached());
            assertEquals(online.documents(), offline.documents());
            assertEquals("in drafts", alice.listing(ws.id()).get(30, TimeUnit.SECONDS).documents().get(0).title());
            fx.httpProxy.refuse(false);
        }
    }

    @Test
    void aReadersWindowIsReadOnlyAndTurnsWritableWhenMadeAWriter() throws Exception {
        try (EngineFixture fx = new EngineFixture(dir, Clock.systemUTC(), Duration.ofMinutes(15))) {
            String docId = fx.createDocument("alice", "shared");
            fx.share("alice", docId, "bob", "reader");
            Account bob = fx.signIn(fx.engine("bobs"), "bob");
            OpenDocument d = bob.open(docId);
            d.when(s -> s.connection().state() == ConnectionState.CONNECTED && s.readOnly())
                    .get(30, TimeUnit.SECONDS);
            fx.share("alice", docId, "bob", "writer"); // the live connection hears it at once
            d.when(s -> !s.readOnly()).get(30, TimeUnit.SECONDS);
            assertEquals(ConnectionState.CONNECTED, d.status().connection().state());
            d.close();
        }
    }

    private static void copyWithCutState(Path from, Path to) throws java.io.IOException {
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(from.toFile());
             java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(to))) {
            for (var e : java.util.Collections.list(in.entries())) {
                byte[] body = in.getInputStream(e).readAllBytes();
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(e.getName().endsWith("state.bin") ? java.util.Arrays.copyOf(body, body.length / 2) : body);
                out.closeEntry();
            }
        }
    }

    private static void insert(OpenDocument d, String s) {
        synchronized (d.doc()) {
            d.doc().getText("t").insert(d.doc().getText("t").length(), s);
        }
    }
}
