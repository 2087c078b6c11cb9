package dev.quire.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.crdt.Updates;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database written at schema version 1 opens under the current schema with its data intact, its update rows moved
 * into the document logs.
 */
class SchemaMigrationTest {
    private static final OffsetDateTime T = OffsetDateTime.of(2026, 11, 1, 9, 0, 0, 0, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void aVersionOneDatabaseMigratesWithItsDocumentsHistoryOwnersAndClientIds() throws Exception {
        Editor alice = new Editor(11);
        byte[] u1 = alice.edit(t -> t.insert(0, "written at version 1"));
        Editor bob = new Editor(22);
        bob.receive(u1);
        byte[] u2 = bob.edit(t -> t.insert(0, "Bob: "));
        writeVersionOne(List.of(
                new Row(1, "alice", u1, new ClockRange(11, 0, 20)),
                new Row(2, "bob", u2, new ClockRange(22, 0, 5))));

        try (H2Storage storage = H2Storage.open(dir, H2DocumentStore.Options.defaults())) {
            DocumentStore docs = storage.documents();
            byte[] expected = Updates.encodeStateAsUpdate(bob.doc);
            assertArrayEquals(expected, docs.loadState("doc-1"), "content intact");
            assertEquals(List.of("alice", "bob"), docs.history("doc-1").stream().map(HistoryEntry::userId).toList());
            assertEquals("bob", docs.writerOf("doc-1", 22, 2).orElseThrow().userId());

            // documents of version 1 named workspaces without rows: the migration gave them one, owned by their owner
            WorkspaceStore ws = storage.workspaces();
            assertTrue(ws.grant("doc-1", "alice").orElseThrow().ownedBy("alice"));
            assertEquals(List.of("ws-old"), ws.workspaces("alice").stream().map(WorkspaceInfo::id).toList());

            // client ids written at version 1 are bound to their first writer
            Editor mallory = new Editor(11);
            mallory.edit(t -> t.insert(0, "x".repeat(20)));
            byte[] forged = mallory.edit(t -> t.insert(20, "!"));
            assertThrows(ClientIdTakenException.class,
                    () -> docs.appendUpdate("doc-1", forged, "mallory", "c", Instant.now()));
            assertTrue(docs.appendUpdate("doc-1", forged, "alice", "c", Instant.now()).stored());

            // rows of version 1 kept their ranges in update_clocks; they moved with the rows
            List<HistoryEntry> history = docs.history("doc-1");
            assertEquals(List.of(new ClockRange(11, 0, 20)), history.get(0).added());
            assertEquals(List.of(new ClockRange(11, 20, 21)), history.get(2).added());
            assertEquals(3, docs.writerOf("doc-1", 11, 20).orElseThrow().seq());
            assertEquals(1, docs.writerOf("doc-1", 11, 19).orElseThrow().seq());
        }
        try (Connection c = connect(); Statement st = c.createStatement()) {
            try (var rs = st.executeQuery("SELECT MAX(version) FROM schema_version")) {
                rs.next();
                assertEquals(Schema.latestVersion(), rs.getInt(1));
            }
            try (var rs = st.executeQuery("SELECT COUNT(*) FROM updates")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "the rows moved into the document's log");
            }
        }
        // moved once: the next open finds the log alone, with its attribution and the new update
        try (H2Storage storage = H2Storage.open(dir, H2DocumentStore.Options.defaults())) {
            List<HistoryEntry> history = storage.documents().history("doc-1");
            assertEquals(List.of("alice", "bob", "alice"), history.stream().map(HistoryEntry::userId).toList());
            assertEquals(List.of(new ClockRange(22, 0, 5)), history.get(1).added());
            assertEquals("bob", storage.documents().writerOf("doc-1", 22, 4).orElseThrow().userId());
        }
    }

    /** Version 4 rows: one compacted into the snapshot (no bytes), one whose clocks are in its row only. */
    @Test
    void aVersionFourDatabasesCompactedAndUnindexedRowsMoveWithTheirLengthsAndClocks() throws Exception {
        Editor alice = new Editor(11);
        byte[] u1 = alice.edit(t -> t.insert(0, "compacted"));
        byte[] u2 = alice.edit(t -> t.insert(9, "!"));
        writeVersionOne(List.of(new Row(1, "alice", u1, new ClockRange(11, 0, 9))));
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (int v = 2; v <= 4; v++) {
                for (String sql : Schema.MIGRATIONS.get(v - 1).statements()) {
                    st.execute(sql);
                }
                st.execute("INSERT INTO schema_version VALUES (" + v + ", 'v" + v + "', CURRENT_TIMESTAMP)");
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE documents SET snapshot = ?, snapshot_seq = 1, last_seq = 2 WHERE id = 'doc-1'")) {
                ps.setBytes(1, u1);
                ps.executeUpdate();
            }
            st.execute("UPDATE updates SET body = NULL WHERE seq = 1");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO updates (doc_id, seq, user_id, connection_id,"
                    + " server_time, byte_length, body, clocks) VALUES ('doc-1', 2, 'alice', 'c', ?, ?, ?, ?)")) {
                ps.setObject(1, T);
                ps.setInt(2, u2.length);
                ps.setBytes(3, u2);
                ps.setBytes(4, java.nio.ByteBuffer.allocate(20).putInt(1).putLong(11).putInt(9).putInt(10).array());
                ps.executeUpdate();
            }
        }
        try (H2Storage storage = H2Storage.open(dir, H2DocumentStore.Options.defaults())) {
            DocumentStore docs = storage.documents();
            assertArrayEquals(Updates.encodeStateAsUpdate(alice.doc), docs.loadState("doc-1"));
            List<HistoryEntry> history = docs.history("doc-1");
            assertEquals(List.of(true, false), history.stream().map(HistoryEntry::inSnapshot).toList());
            assertEquals(u1.length, history.get(0).byteLength(), "the compacted update's length stays");
            assertEquals(List.of(new ClockRange(11, 9, 10)), history.get(1).added());
            assertEquals(2, docs.writerOf("doc-1", 11, 9).orElseThrow().seq());
            assertEquals(1, docs.writerOf("doc-1", 11, 8).orElseThrow().seq());
            LogStats stats = docs.logStats("doc-1");
            assertEquals(List.of(2L, 1L, 1L), List.of(stats.lastSeq(), stats.snapshotSeq(), stats.logUpdates()));
        }
    }

    /**
     * A start that crashed while moving the rows left a log half written; the rows are still there (they go only once
     * every log is written), so the next start writes the log from them again.
     */
    @Test
    void aMoveOfTheRowsCutShortByACrashIsDoneAgainFromTheRows() throws Exception {
        Editor alice = new Editor(11);
        byte[] u1 = alice.edit(t -> t.insert(0, "one"));
        byte[] u2 = alice.edit(t -> t.insert(3, " two"));
        writeVersionOne(List.of(new Row(1, "alice", u1, new ClockRange(11, 0, 3)),
                new Row(2, "alice", u2, new ClockRange(11, 3, 7))));
        Path log = DocumentLogs.open("file:", dir).logPath("doc-1");
        java.nio.file.Files.write(log, java.util.Arrays.copyOf(DocumentLogs.MAGIC, DocumentLogs.MAGIC.length + 5));
        try (H2Storage storage = H2Storage.open(dir, H2DocumentStore.Options.defaults())) {
            assertEquals(2, storage.documents().history("doc-1").size());
            assertArrayEquals(Updates.encodeStateAsUpdate(alice.doc), storage.documents().loadState("doc-1"));
        }
    }

    @Test
    void migratingTwiceChangesNothing() {
        try (H2Storage storage = H2Storage.open(dir, H2DocumentStore.Options.defaults())) {
            storage.workspaces().defaultWorkspace("alice", "My documents");
        }
        try (H2Storage storage = H2Storage.open(dir, H2DocumentStore.Options.defaults())) {
            assertEquals(1, storage.workspaces().workspaces("alice").size());
        }
    }

    @Test
    void theDatabaseRefusesASecondDefaultWorkspaceForOneUser() throws Exception {
        try (H2Storage storage = H2Storage.open(dir, H2DocumentStore.Options.defaults())) {
            storage.workspaces().defaultWorkspace("alice", "My documents");
        }
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO workspaces"
                + " (id, owner_user_id, name, is_default, created_at) VALUES ('w2', 'alice', 'again', TRUE, ?)")) {
            ps.setObject(1, T);
            assertThrows(SQLException.class, ps::executeUpdate, "the unique default_of column is a backstop");
        }
    }

    private record Row(long seq, String user, byte[] body, ClockRange added) {
    }

    /** The tables and rows the version 1 store wrote, through its own migration statements. */
    private void writeVersionOne(List<Row> rows) throws SQLException {
        try (Connection c = connect()) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description VARCHAR(200) NOT"
                        + " NULL, applied_at TIMESTAMP(9) WITH TIME ZONE NOT NULL)");
                for (String sql : Schema.MIGRATIONS.get(0).statements()) {
                    st.execute(sql);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO schema_version VALUES (1, 'v1', ?)")) {
                ps.setObject(1, T);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO documents (id, workspace_id, owner_user_id,"
                    + " title, created_at, updated_at, last_seq) VALUES ('doc-1', 'ws-old', 'alice', 'Old', ?, ?, ?)")) {
                ps.setObject(1, T);
                ps.setObject(2, T);
                ps.setLong(3, rows.size());
                ps.executeUpdate();
            }
            for (Row r : rows) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO updates (doc_id, seq, user_id,"
                        + " connection_id, server_time, byte_length, body) VALUES ('doc-1', ?, ?, 'c', ?, ?, ?)")) {
                    ps.setLong(1, r.seq());
                    ps.setString(2, r.user());
                    ps.setObject(3, T);
                    ps.setInt(4, r.body().length);
                    ps.setBytes(5, r.body());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO update_clocks (doc_id, seq, client_id,"
                        + " clock_start, clock_end) VALUES ('doc-1', ?, ?, ?, ?)")) {
                    ps.setLong(1, r.seq());
                    ps.setLong(2, r.added().clientId());
                    ps.setInt(3, r.added().start());
                    ps.setInt(4, r.added().end());
                    ps.executeUpdate();
                }
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + dir.toAbsolutePath().resolve("quire"), "quire", "");
    }
}
