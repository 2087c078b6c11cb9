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

/** A database written at schema version 1 opens under the current schema with its data intact. */
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

            // migration 4: old rows keep their ranges in update_clocks, new ones carry them in the row, and a
            // writer lookup indexes what the bulk indexer has not reached yet
            List<HistoryEntry> history = docs.history("doc-1");
            assertEquals(List.of(new ClockRange(11, 0, 20)), history.get(0).added());
            assertEquals(List.of(new ClockRange(11, 20, 21)), history.get(2).added());
            assertEquals(3, docs.writerOf("doc-1", 11, 20).orElseThrow().seq());
            assertEquals(1, docs.writerOf("doc-1", 11, 19).orElseThrow().seq());
        }
        try (Connection c = connect(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT MAX(version) FROM schema_version")) {
            rs.next();
            assertEquals(Schema.latestVersion(), rs.getInt(1));
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
