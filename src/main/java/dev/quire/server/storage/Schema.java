package dev.quire.server.storage;

import dev.quire.h2.Migrations;
import dev.quire.h2.Migrations.Migration;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The H2 schema as an ordered list of migrations, recorded in {@code schema_version}. A plain list instead of Flyway:
 * a handful of tables do not need a migration framework, and the day the server moves to a networked database it will
 * bring its own migrations anyway.
 *
 * <p>H2 commits before every DDL statement, so a migration is not atomic: each statement is written to be
 * re-runnable ({@code IF NOT EXISTS}), and a migration interrupted by a crash is simply run again on the next start.
 * Never edit a migration that has shipped; add a new one.
 */
final class Schema {
    private Schema() {
    }


    /** Ids are opaque strings (users and connections are not stored here; workspace ids need no row, see 2). */
    static final int MAX_ID_LENGTH = 200;
    static final int MAX_TITLE_LENGTH = DocumentStore.MAX_TITLE_LENGTH;
    static final int MAX_WORKSPACE_NAME_LENGTH = WorkspaceStore.MAX_NAME_LENGTH;

    // The tables updates and update_clocks are empty since the update logs moved to files of their own (ADR 0011,
    // LegacyUpdateRows moves rows written before); they stay so that their migrations need not change.
    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "documents, update log with attribution", List.of(
                    """
                    CREATE TABLE IF NOT EXISTS documents (
                      id            VARCHAR(200) PRIMARY KEY,
                      workspace_id  VARCHAR(200) NOT NULL,
                      owner_user_id VARCHAR(200) NOT NULL,
                      title         VARCHAR(1000) NOT NULL,
                      created_at    TIMESTAMP(9) WITH TIME ZONE NOT NULL,
                      updated_at    TIMESTAMP(9) WITH TIME ZONE NOT NULL,
                      -- one Yjs update holding every logged update up to snapshot_seq (NULL: no snapshot yet)
                      snapshot      BLOB,
                      snapshot_seq  BIGINT NOT NULL DEFAULT 0,
                      -- seq of the last stored update; the next one gets last_seq + 1
                      last_seq      BIGINT NOT NULL DEFAULT 0
                    )""",
                    "CREATE INDEX IF NOT EXISTS documents_by_workspace ON documents (workspace_id, created_at)",
                    """
                    CREATE TABLE IF NOT EXISTS updates (
                      doc_id        VARCHAR(200) NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
                      seq           BIGINT NOT NULL,
                      user_id       VARCHAR(200) NOT NULL,
                      connection_id VARCHAR(200) NOT NULL,
                      server_time   TIMESTAMP(9) WITH TIME ZONE NOT NULL,
                      byte_length   INTEGER NOT NULL,
                      -- the update as received; NULL once compact() has folded it into the snapshot
                      body          VARBINARY,
                      PRIMARY KEY (doc_id, seq)
                    )""",
                    """
                    CREATE TABLE IF NOT EXISTS update_clocks (
                      doc_id      VARCHAR(200) NOT NULL,
                      seq         BIGINT NOT NULL,
                      client_id   BIGINT NOT NULL,
                      clock_start INTEGER NOT NULL,
                      clock_end   INTEGER NOT NULL,
                      PRIMARY KEY (doc_id, client_id, clock_start),
                      FOREIGN KEY (doc_id, seq) REFERENCES updates (doc_id, seq) ON DELETE CASCADE
                    )""",
                    "CREATE INDEX IF NOT EXISTS update_clocks_by_seq ON update_clocks (doc_id, seq)")),
            new Migration(2, "workspaces, document shares, client id bindings", List.of(
                    """
                    CREATE TABLE IF NOT EXISTS workspaces (
                      id            VARCHAR(200) PRIMARY KEY,
                      owner_user_id VARCHAR(200) NOT NULL,
                      name          VARCHAR(200) NOT NULL,
                      is_default    BOOLEAN NOT NULL DEFAULT FALSE,
                      created_at    TIMESTAMP(9) WITH TIME ZONE NOT NULL,
                      -- the owner for the default workspace, else NULL: UNIQUE allows one default per user (and any
                      -- number of NULLs), a backstop under the transaction that creates it (H2 has no partial index)
                      default_of    VARCHAR(200) GENERATED ALWAYS AS (CASE WHEN is_default THEN owner_user_id END),
                      CONSTRAINT one_default_workspace UNIQUE (default_of)
                    )""",
                    "CREATE INDEX IF NOT EXISTS workspaces_by_owner ON workspaces (owner_user_id, created_at)",
                    // Documents of schema 1 name workspaces that had no rows: give each one, owned by (one of) the
                    // owners of its documents, so that those documents keep an owner.
                    """
                    INSERT INTO workspaces (id, owner_user_id, name, is_default, created_at)
                    SELECT workspace_id, MIN(owner_user_id), 'Documents', FALSE, MIN(created_at) FROM documents
                    WHERE workspace_id NOT IN (SELECT id FROM workspaces) GROUP BY workspace_id""",
                    """
                    CREATE TABLE IF NOT EXISTS document_shares (
                      doc_id     VARCHAR(200) NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
                      user_id    VARCHAR(200) NOT NULL,
                      role       VARCHAR(10) NOT NULL CHECK (role IN ('READER', 'WRITER')),
                      created_at TIMESTAMP(9) WITH TIME ZONE NOT NULL,
                      PRIMARY KEY (doc_id, user_id)
                    )""",
                    "CREATE INDEX IF NOT EXISTS document_shares_by_user ON document_shares (user_id)",
                    """
                    CREATE TABLE IF NOT EXISTS client_ids (
                      doc_id    VARCHAR(200) NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
                      client_id BIGINT NOT NULL,
                      user_id   VARCHAR(200) NOT NULL,
                      PRIMARY KEY (doc_id, client_id)
                    )""",
                    // Bind the client ids of schema 1 logs to the first user who wrote with them, as appendUpdate
                    // would have.
                    """
                    INSERT INTO client_ids (doc_id, client_id, user_id)
                    SELECT f.doc_id, f.client_id, u.user_id
                    FROM (SELECT doc_id, client_id, MIN(seq) AS seq FROM update_clocks GROUP BY doc_id, client_id) f
                    JOIN updates u ON u.doc_id = f.doc_id AND u.seq = f.seq
                    WHERE NOT EXISTS (SELECT 1 FROM client_ids b WHERE b.doc_id = f.doc_id
                                      AND b.client_id = f.client_id)""")),
            new Migration(3, "refresh token families and hashed tokens", List.of(
                    """
                    CREATE TABLE IF NOT EXISTS refresh_families (
                      id             VARCHAR(64) PRIMARY KEY,
                      user_id        VARCHAR(200) NOT NULL,
                      created_at     TIMESTAMP(9) WITH TIME ZONE NOT NULL,
                      -- absolute: refresh_ttl after the login, however often it is rotated
                      expires_at     TIMESTAMP(9) WITH TIME ZONE NOT NULL,
                      revoked_at     TIMESTAMP(9) WITH TIME ZONE,
                      revoked_reason VARCHAR(40)
                    )""",
                    "CREATE INDEX IF NOT EXISTS refresh_families_by_user ON refresh_families (user_id)",
                    "CREATE INDEX IF NOT EXISTS refresh_families_by_expiry ON refresh_families (expires_at)",
                    """
                    CREATE TABLE IF NOT EXISTS refresh_tokens (
                      -- SHA-256 of the token, hex; the token itself is never stored
                      token_hash CHAR(64) PRIMARY KEY,
                      family_id  VARCHAR(64) NOT NULL REFERENCES refresh_families (id) ON DELETE CASCADE,
                      issued_at  TIMESTAMP(9) WITH TIME ZONE NOT NULL,
                      used_at    TIMESTAMP(9) WITH TIME ZONE
                    )""",
                    "CREATE INDEX IF NOT EXISTS refresh_tokens_by_family ON refresh_tokens (family_id)")),
            // Each update's clock ranges travel in its own row (appended in seq order, so a batch of updates
            // touches one page per document); update_clocks, keyed by client and clock, is filled from them in
            // bulk (ClockIndex), up to documents.indexed_seq: filling it per update rewrote a page per client per
            // commit (ADR 0007). Rows stored before this migration are all indexed already.
            new Migration(4, "clock ranges in the update row, indexed in bulk", List.of(
                    "ALTER TABLE updates ADD COLUMN IF NOT EXISTS clocks VARBINARY",
                    "ALTER TABLE documents ADD COLUMN IF NOT EXISTS indexed_seq BIGINT NOT NULL DEFAULT 0",
                    "UPDATE documents SET indexed_seq = last_seq"))
    );

    static int latestVersion() {
        return Migrations.latest(MIGRATIONS);
    }

    /** Brings the schema up to date; refuses a database written by a newer Quire. */
    static void migrate(Connection connection, String where) throws SQLException {
        Migrations.apply(connection, MIGRATIONS, version -> new StorageException(StorageException.Reason.CORRUPT,
                "the database in " + where + " has schema version " + version
                        + ", but this Quire only knows versions up to " + latestVersion()
                        + "; run a newer Quire, or restore a backup"));
    }

    static int currentVersion(Connection connection) throws SQLException {
        return Migrations.currentVersion(connection);
    }
}
