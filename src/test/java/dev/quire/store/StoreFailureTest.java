package dev.quire.store;

import dev.quire.testing.DiskFullFileSystem;
import dev.quire.testing.ReadOnlyPaths;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.store.LocalStoreException.Reason;
import dev.quire.testing.TestClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full disk, a read-only folder, a damaged file: a clear reason, nothing half-written, usable once fixed. */
class StoreFailureTest {
    private static final Executor NO_BACKGROUND = r -> { };

    @TempDir
    Path dir;

    private final TestClock clock = TestClock.at("2026-11-24T09:00:00Z");

    @Test
    void aFullDiskFailsTheAppendStoresNothingOfItAndTheRetryLandsOnceThereIsSpace() {
        DiskFullFileSystem.register();
        Editor alice = new Editor(1);
        byte[] first = alice.edit(t -> t.insert(0, "first "));
        byte[] second = alice.edit(t -> t.insert(6, "second"));
        // TRACE_LEVEL_FILE=0: H2 would otherwise write the failure to a trace file from its shutdown hook, after
        // the test directory is gone
        try (LocalStore store = LocalStore.open(DiskFullFileSystem.PREFIX, ";TRACE_LEVEL_FILE=0", dir, clock,
                NO_BACKGROUND, null, LocalStore.Options.defaults())) {
            store.appendLocal("doc", "alice", first);
            DiskFullFileSystem.full = true;
            try {
                LocalStoreException e = assertThrows(LocalStoreException.class,
                        () -> store.appendLocal("doc", "alice", second));
                assertEquals(Reason.DISK_FULL, e.reason(), e.getMessage());
                assertTrue(e.getMessage().contains("doc") && e.getMessage().contains("free space"), e.getMessage());
                // reads may fail or not while the disk is full; what matters is what is stored afterwards
            } finally {
                DiskFullFileSystem.full = false;
            }
            // space is back: the same store carries on, without any part of the failed edit
            assertEquals(1, store.pending("doc", "alice").size());
            assertEquals("first ", Editor.textOf(store.load("doc")));
            store.appendLocal("doc", "alice", second); // the engine's retry of the edit it kept in memory
        }
        try (LocalStore store = LocalStore.open(dir, clock)) {
            assertEquals(2, store.pending("doc", "alice").size());
            assertEquals("first second", Editor.textOf(store.load("doc")));
        }
    }

    @Test
    void everyEditWhileTheDiskIsFullFailsAndNoneOfThemIsStored() throws Exception {
        DiskFullFileSystem.register();
        try (LocalStore store = LocalStore.open(DiskFullFileSystem.PREFIX, ";TRACE_LEVEL_FILE=0", dir, clock,
                NO_BACKGROUND, null, LocalStore.Options.defaults())) {
            store.appendLocal("doc", "alice", new Editor(1).edit(t -> t.insert(0, "ok")));
            DiskFullFileSystem.full = true;
            List<LocalStoreException> failures = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    byte[] u = new Editor(10 + i).edit(t -> t.insert(0, "lost"));
                    failures.add(assertThrows(LocalStoreException.class, () -> store.appendLocal("doc", "bob", u)));
                }
            } finally {
                DiskFullFileSystem.full = false;
            }
            failures.forEach(e -> assertEquals(Reason.DISK_FULL, e.reason()));
            assertTrue(store.pending("doc", "bob").isEmpty());
            assertEquals("ok", Editor.textOf(store.load("doc")));
        }
    }

    @Test
    void aReadOnlyProfileIsRefusedAtOpenAndOpensOnceWritableAgain() throws Exception {
        byte[] update = new Editor(1).edit(t -> t.insert(0, "kept"));
        try (LocalStore store = LocalStore.open(dir, clock)) {
            store.appendLocal("doc", "alice", update);
        }
        ReadOnlyPaths readOnly = ReadOnlyPaths.make(dir, dir.resolve(Database.DATABASE_FILE), dir.resolve(Database.LOCK_FILE));
        try {
            LocalStoreException e = assertThrows(LocalStoreException.class, () -> LocalStore.open(dir, clock));
            assertEquals(Reason.READ_ONLY, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("not writable"), e.getMessage());
        } finally {
            readOnly.restore();
        }
        try (LocalStore store = LocalStore.open(dir, clock)) {
            assertArrayEquals(update, store.pending("doc", "alice").get(0).update());
        }
    }

    @Test
    void aProfileFolderThatCannotBeCreatedIsReadOnly() throws Exception {
        Path parent = Files.createDirectory(dir.resolve("parent"));
        ReadOnlyPaths readOnly = ReadOnlyPaths.make(parent);
        try {
            LocalStoreException e = assertThrows(LocalStoreException.class,
                    () -> LocalStore.open(parent.resolve("profile"), clock));
            assertEquals(Reason.READ_ONLY, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("cannot create the profile directory"), e.getMessage());
        } finally {
            readOnly.restore();
        }
    }

    @Test
    void aDamagedFileIsReportedCorruptAndTheProfileWorksOnceItIsMovedAside() throws Exception {
        try (LocalStore store = LocalStore.open(dir, clock)) {
            store.appendLocal("doc", "alice", new Editor(1).edit(t -> t.insert(0, "text")));
        }
        Path file = dir.resolve(Database.DATABASE_FILE);
        byte[] noise = new byte[(int) Files.size(file)];
        new Random(42).nextBytes(noise);
        Files.write(file, noise, StandardOpenOption.TRUNCATE_EXISTING);

        LocalStoreException e = assertThrows(LocalStoreException.class, () -> LocalStore.open(dir, clock));
        assertEquals(Reason.CORRUPT, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());

        Files.move(file, dir.resolve("quire.mv.db.damaged"));
        try (LocalStore store = LocalStore.open(dir, clock)) {
            assertTrue(store.documents().isEmpty());
            store.appendLocal("doc", "alice", new Editor(2).edit(t -> t.insert(0, "again")));
        }
    }

    @Test
    void aDatabaseFromANewerQuireIsRefusedAsCorruptRatherThanMisread() throws Exception {
        try (LocalStore store = LocalStore.open(dir, clock)) {
            store.database().transaction("pretending to be newer", c -> {
                try (var st = c.createStatement()) {
                    st.execute("INSERT INTO schema_version VALUES (99, 'from the future', CURRENT_TIMESTAMP)");
                }
                return null;
            });
        }
        LocalStoreException e = assertThrows(LocalStoreException.class, () -> LocalStore.open(dir, clock));
        assertEquals(Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
    }
}
