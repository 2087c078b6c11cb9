package dev.quire.server.storage;

import dev.quire.testing.DiskFullFileSystem;
import dev.quire.testing.ReadOnlyPaths;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.server.storage.StorageException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Storage that cannot be written: clear errors, and never half an update. */
class StorageFailureTest {
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aDataDirectoryThatCannotBeWrittenIsRefusedAtOpenWithAClearError() throws Exception {
        String id;
        byte[] state;
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            id = store.createDocument("ws", "alice", "Notes").id();
            store.appendUpdate(id, new Editor(1).edit(t -> t.insert(0, "hi")), "alice", "c1", T);
            state = store.loadState(id);
        }

        ReadOnlyPaths readOnly = ReadOnlyPaths.make(dir, dir.resolve("quire.mv.db"));
        try {
            StorageException e = assertThrows(StorageException.class, () -> H2DocumentStore.open(dir));
            assertEquals(Reason.READ_ONLY, e.reason());
            assertTrue(e.getMessage().contains(dir.toRealPath().toString()) && e.getMessage().contains("not writable"),
                    e.getMessage());
        } finally {
            readOnly.restore();
        }

        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            assertArrayEquals(state, store.loadState(id), "writable again, and nothing was lost");
        }
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsRefusedWithAClearError() throws Exception {
        Path parent = Files.createDirectory(dir.resolve("parent"));
        ReadOnlyPaths readOnly = ReadOnlyPaths.make(parent);
        try {
            Path data = parent.resolve("data");
            StorageException e = assertThrows(StorageException.class, () -> H2DocumentStore.open(data));
            assertEquals(Reason.READ_ONLY, e.reason());
            assertTrue(e.getMessage().contains("cannot create the data directory " + data), e.getMessage());
        } finally {
            readOnly.restore();
        }
    }

    @Test
    void aFullDiskFailsTheAppendClearlyStoresNothingOfItAndTheStoreRecoversOnceThereIsSpace() {
        DiskFullFileSystem.register();
        Editor alice = new Editor(1);
        byte[] first = alice.edit(t -> t.insert(0, "first "));
        byte[] second = alice.edit(t -> t.insert(6, "second"));
        String id;
        byte[] stateBefore;
        // TRACE_LEVEL_FILE=0: H2 keeps the database that failed registered for its shutdown hook, which would write
        // its error to quire.trace.db at JVM exit, long after this test's directory is gone
        try (H2DocumentStore store = H2DocumentStore.open(DiskFullFileSystem.PREFIX, ";TRACE_LEVEL_FILE=0", dir,
                H2DocumentStore.Options.defaults())) {
            id = store.createDocument("ws", "alice", "Notes").id();
            store.appendUpdate(id, first, "alice", "c1", T);
            stateBefore = store.loadState(id);

            DiskFullFileSystem.full = true;
            try {
                StorageException e = assertThrows(StorageException.class,
                        () -> store.appendUpdate(id, second, "alice", "c1", T));
                assertEquals(Reason.DISK_FULL, e.reason(), e.getMessage());
                assertTrue(e.getMessage().contains(id) && e.getMessage().contains("free space"), e.getMessage());
            } finally {
                DiskFullFileSystem.full = false;
            }

            // space is back: the store reopens its database by itself, without the update that failed
            assertArrayEquals(stateBefore, store.loadState(id));
            assertEquals(1, store.history(id).size());
            assertEquals(2, store.appendUpdate(id, second, "alice", "c1", T).seq(), "the client's retry lands");
        }
        try (H2DocumentStore store = H2DocumentStore.open(dir)) {
            assertEquals(2, store.history(id).size());
            assertArrayEquals(dev.quire.crdt.Updates.encodeStateAsUpdate(alice.doc), store.loadState(id));
        }
    }
}
