package dev.quire.store;

import dev.quire.h2.Migrations;
import dev.quire.h2.Migrations.Migration;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The local store's schema as an ordered list of migrations, recorded in {@code schema_version}: the same idea as the
 * server's storage (ADR 0004), its own tables. H2 commits before each DDL statement, so a migration is not atomic;
 * every statement is re-runnable ({@code IF NOT EXISTS}) and a migration cut short by a crash runs again at the next
 * open. Never edit a migration that has shipped; append a new one.
 */
final class StoreSchema {
    private StoreSchema() {
    }


    static final int MAX_ID_LENGTH = 200;

    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "documents, history, outbox with clock ranges, acknowledged clocks", List.of(
                    // one number for history and outbox rows, so that their order across both is known
                    "CREATE SEQUENCE IF NOT EXISTS entry_seq",
                    """
                    CREATE TABLE IF NOT EXISTS documents (
                      doc_id              VARCHAR(200) PRIMARY KEY,
                      -- one Yjs v1 update: everything compacted so far (NULL: nothing yet)
                      state               BLOB,
                      state_bytes         BIGINT NOT NULL DEFAULT 0,
                      last_synced_at      TIMESTAMP(9) WITH TIME ZONE,
                      server_state_vector VARBINARY,
                      created_at          TIMESTAMP(9) WITH TIME ZONE NOT NULL
                    )""",
                    // updates received from the server, and our own once the server acknowledged them; compaction
                    // folds them into documents.state
                    """
                    CREATE TABLE IF NOT EXISTS history (
                      doc_id  VARCHAR(200) NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
                      seq     BIGINT NOT NULL,
                      kind    VARCHAR(8) NOT NULL CHECK (kind IN ('REMOTE', 'ACKED')),
                      body    VARBINARY NOT NULL,
                      PRIMARY KEY (doc_id, seq)
                    )""",
                    // local updates the server has not acknowledged, in order, each owned by the user who typed it
                    """
                    CREATE TABLE IF NOT EXISTS outbox (
                      doc_id     VARCHAR(200) NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
                      seq        BIGINT NOT NULL,
                      user_id    VARCHAR(200) NOT NULL,
                      body       VARBINARY NOT NULL,
                      created_at TIMESTAMP(9) WITH TIME ZONE NOT NULL,
                      PRIMARY KEY (doc_id, seq)
                    )""",
                    "CREATE INDEX IF NOT EXISTS outbox_by_user ON outbox (doc_id, user_id, seq)",
                    """
                    CREATE TABLE IF NOT EXISTS outbox_clocks (
                      doc_id      VARCHAR(200) NOT NULL,
                      seq         BIGINT NOT NULL,
                      client_id   BIGINT NOT NULL,
                      clock_start INTEGER NOT NULL,
                      clock_end   INTEGER NOT NULL,
                      PRIMARY KEY (doc_id, seq, client_id),
                      FOREIGN KEY (doc_id, seq) REFERENCES outbox (doc_id, seq) ON DELETE CASCADE
                    )""",
                    // the server's acknowledged clock per client id: an entry spanning several client ids is
                    // covered once every one of them was acknowledged, whichever ack came first
                    """
                    CREATE TABLE IF NOT EXISTS acked_clocks (
                      doc_id    VARCHAR(200) NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
                      client_id BIGINT NOT NULL,
                      clock     BIGINT NOT NULL,
                      PRIMARY KEY (doc_id, client_id)
                    )""")),
            // The cascade from outbox to outbox_clocks made H2 look up the clocks of every outbox row it deleted:
            // 0.55 s of the 0.85 s it took to record the ack of 10,000 queued edits. The store deletes an entry's
            // clocks itself, by range, before the entry.
            new Migration(2, "outbox_clocks without the cascading foreign key", List.of(
                    """
                    CREATE TABLE outbox_clocks_v2 (
                      doc_id      VARCHAR(200) NOT NULL,
                      seq         BIGINT NOT NULL,
                      client_id   BIGINT NOT NULL,
                      clock_start INTEGER NOT NULL,
                      clock_end   INTEGER NOT NULL,
                      PRIMARY KEY (doc_id, seq, client_id)
                    )""",
                    "INSERT INTO outbox_clocks_v2 SELECT doc_id, seq, client_id, clock_start, clock_end FROM outbox_clocks",
                    "DROP TABLE outbox_clocks",
                    "ALTER TABLE outbox_clocks_v2 RENAME TO outbox_clocks")),
            // the document list's changes made offline (ListChangeQueue); no foreign key: a created document has
            // no row in documents until its first edit
            new Migration(3, "document list changes made offline", List.of(
                    """
                    CREATE TABLE IF NOT EXISTS list_changes (
                      seq          BIGINT PRIMARY KEY,
                      user_id      VARCHAR(200) NOT NULL,
                      kind         VARCHAR(8) NOT NULL CHECK (kind IN ('CREATE', 'RENAME', 'DELETE')),
                      doc_id       VARCHAR(200) NOT NULL,
                      workspace_id VARCHAR(200),
                      title        VARCHAR(1000),
                      created_at   TIMESTAMP(9) WITH TIME ZONE NOT NULL
                    )""",
                    "CREATE INDEX IF NOT EXISTS list_changes_by_user ON list_changes (user_id, seq)")),
            // workspaces created and renamed offline queue among the documents' changes (a document may be created
            // in a workspace created just before it); kind keeps its values, and doc_id holds the workspace's id
            new Migration(4, "workspace changes made offline", List.of(
                    "ALTER TABLE list_changes ADD COLUMN IF NOT EXISTS subject VARCHAR(9) DEFAULT 'DOCUMENT' NOT NULL"
                            + " CHECK (subject IN ('DOCUMENT', 'WORKSPACE'))")));

    static int latestVersion() {
        return Migrations.latest(MIGRATIONS);
    }

    /** Brings the schema up to date; refuses a database written by a newer Quire. */
    static void migrate(Connection connection, String where) throws SQLException {
        Migrations.apply(connection, MIGRATIONS, version -> new LocalStoreException(LocalStoreException.Reason.CORRUPT,
                "the local store in " + where + " has schema version " + version
                        + ", but this Quire knows versions up to " + latestVersion() + "; run a newer Quire"));
    }

    static int currentVersion(Connection connection) throws SQLException {
        return Migrations.currentVersion(connection);
    }
}
