package dev.quire.server.storage;

import static dev.quire.server.storage.H2DocumentStore.documentInfo;
import static dev.quire.server.storage.H2DocumentStore.requireDocument;
import static dev.quire.server.storage.H2DocumentStore.requireId;
import static dev.quire.server.storage.H2DocumentStore.utc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link WorkspaceStore} in the server's H2 database, next to the documents (tables: {@link Schema} migration 2).
 *
 * <p>Race safety: {@link H2Database} runs one transaction at a time, so "find the default workspace, else create it"
 * in one transaction cannot create two; the unique {@code default_of} column would refuse a second one anyway.
 */
final class H2WorkspaceStore implements WorkspaceStore {

    private static final String WS_COLUMNS = "id, owner_user_id, name, is_default, created_at";
    /** {@link H2DocumentStore#DOC_COLUMNS} of the documents table aliased {@code d}. */
    private static final String D_COLUMNS = "d.id, d.workspace_id, d.owner_user_id, d.title, d.created_at,"
            + " d.updated_at";

    private final H2Database db;
    private final Clock clock;

    H2WorkspaceStore(H2Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    // ---- workspaces ----

    @Override
    public WorkspaceInfo createWorkspace(String workspaceId, String ownerUserId, String name) {
        requireId("workspace id", workspaceId);
        requireId("owner user id", ownerUserId);
        requireName(name);
        return db.transaction("creating a workspace for user " + ownerUserId, true, c -> {
            Optional<WorkspaceInfo> existing = findWorkspace(c, workspaceId); // one connection: nobody inserts between
            return existing.isPresent() ? existing.get() : insertWorkspace(c, workspaceId, ownerUserId, name, false);
        });
    }

    @Override
    public WorkspaceInfo defaultWorkspace(String ownerUserId, String name) {
        requireId("owner user id", ownerUserId);
        requireName(name);
        return db.transaction("finding or creating the default workspace of user " + ownerUserId, true, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + WS_COLUMNS
                    + " FROM workspaces WHERE owner_user_id = ? AND is_default")) {
                ps.setString(1, ownerUserId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return workspaceInfo(rs);
                    }
                }
            }
            return insertWorkspace(c, UUID.randomUUID().toString(), ownerUserId, name, true);
        });
    }

    private WorkspaceInfo insertWorkspace(Connection c, String workspaceId, String ownerUserId, String name,
                                          boolean isDefault) throws SQLException {
        WorkspaceInfo ws = new WorkspaceInfo(workspaceId, ownerUserId, name, isDefault, clock.instant());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO workspaces (id, owner_user_id, name, is_default,"
                + " created_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, ws.id());
            ps.setString(2, ownerUserId);
            ps.setString(3, name);
            ps.setBoolean(4, isDefault);
            ps.setObject(5, utc(ws.createdAt()));
            ps.executeUpdate();
        }
        return ws;
    }

    @Override
    public Optional<WorkspaceInfo> workspace(String workspaceId) {
        requireId("workspace id", workspaceId);
        return db.transaction("reading workspace " + workspaceId, false, c -> findWorkspace(c, workspaceId));
    }

    private static Optional<WorkspaceInfo> findWorkspace(Connection c, String workspaceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + WS_COLUMNS + " FROM workspaces WHERE id = ?")) {
            ps.setString(1, workspaceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(workspaceInfo(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public Optional<WorkspaceInfo> renameWorkspace(String workspaceId, String name) {
        requireId("workspace id", workspaceId);
        requireName(name);
        return db.transaction("renaming workspace " + workspaceId, true, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE workspaces SET name = ? WHERE id = ?")) {
                ps.setString(1, name);
                ps.setString(2, workspaceId);
                if (ps.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT " + WS_COLUMNS + " FROM workspaces WHERE id = ?")) {
                ps.setString(1, workspaceId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(workspaceInfo(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<WorkspaceInfo> workspaces(String ownerUserId) {
        requireId("owner user id", ownerUserId);
        return db.transaction("listing the workspaces of user " + ownerUserId, false, c -> {
            return Rows.list(c, "SELECT " + WS_COLUMNS + " FROM workspaces"
                    + " WHERE owner_user_id = ? ORDER BY is_default DESC, created_at, id",
                    H2WorkspaceStore::workspaceInfo, ownerUserId);
        });
    }

    @Override
    public List<DocumentInfo> ownedDocuments(String ownerUserId) {
        requireId("owner user id", ownerUserId);
        return db.transaction("listing the documents of user " + ownerUserId, false, c -> {
            return Rows.list(c, "SELECT " + D_COLUMNS + " FROM documents d"
                    + " JOIN workspaces w ON w.id = d.workspace_id WHERE w.owner_user_id = ?"
                    + " ORDER BY d.created_at, d.id", H2DocumentStore::documentInfo, ownerUserId);
        });
    }

    // ---- access facts ----

    @Override
    public Optional<DocumentGrant> grant(String docId, String userId) {
        requireId("document id", docId);
        requireId("user id", userId);
        return db.transaction("reading the access of user " + userId + " to document " + docId, false, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + D_COLUMNS + ", w.owner_user_id, s.role"
                    + " FROM documents d LEFT JOIN workspaces w ON w.id = d.workspace_id"
                    + " LEFT JOIN document_shares s ON s.doc_id = d.id AND s.user_id = ? WHERE d.id = ?")) {
                ps.setString(1, userId);
                ps.setString(2, docId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    String role = rs.getString(8);
                    return Optional.of(new DocumentGrant(documentInfo(rs), rs.getString(7),
                            role == null ? null : ShareRole.valueOf(role)));
                }
            }
        });
    }

    // ---- shares ----

    @Override
    public ShareInfo share(String docId, String userId, ShareRole role) {
        requireId("document id", docId);
        requireId("user id", userId);
        if (role == null) {
            throw new IllegalArgumentException("a share needs a role");
        }
        Instant now = clock.instant();
        return db.transaction("sharing document " + docId + " with user " + userId, true, c -> {
            requireDocument(c, docId); // a clear NoSuchDocumentException instead of a foreign key error
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO document_shares (doc_id, user_id, role,"
                    + " created_at) KEY (doc_id, user_id) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, docId);
                ps.setString(2, userId);
                ps.setString(3, role.name());
                ps.setObject(4, utc(now));
                ps.executeUpdate();
            }
            return new ShareInfo(docId, userId, role, now);
        });
    }

    @Override
    public boolean unshare(String docId, String userId) {
        requireId("document id", docId);
        requireId("user id", userId);
        return db.transaction("unsharing document " + docId + " with user " + userId, true, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM document_shares WHERE doc_id = ? AND user_id = ?")) {
                ps.setString(1, docId);
                ps.setString(2, userId);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public List<ShareInfo> shares(String docId) {
        requireId("document id", docId);
        return db.transaction("listing the shares of document " + docId, false, c -> {
            requireDocument(c, docId);
            return Rows.list(c, "SELECT doc_id, user_id, role, created_at"
                    + " FROM document_shares WHERE doc_id = ? ORDER BY created_at, user_id",
                    rs -> new ShareInfo(rs.getString(1), rs.getString(2), ShareRole.valueOf(rs.getString(3)),
                            rs.getObject(4, OffsetDateTime.class).toInstant()), docId);
        });
    }

    @Override
    public List<SharedDocument> sharedWith(String userId) {
        requireId("user id", userId);
        return db.transaction("listing the documents shared with user " + userId, false, c -> {
            return Rows.list(c, "SELECT " + D_COLUMNS + ", s.role FROM document_shares s"
                    + " JOIN documents d ON d.id = s.doc_id WHERE s.user_id = ? ORDER BY s.created_at, d.id",
                    rs -> new SharedDocument(documentInfo(rs), ShareRole.valueOf(rs.getString(7))), userId);
        });
    }

    // ---- rows ----

    private static WorkspaceInfo workspaceInfo(ResultSet rs) throws SQLException {
        return new WorkspaceInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                rs.getObject(5, OffsetDateTime.class).toInstant());
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a workspace needs a name");
        }
        if (name.length() > Schema.MAX_WORKSPACE_NAME_LENGTH) {
            throw new IllegalArgumentException("a workspace name is at most " + Schema.MAX_WORKSPACE_NAME_LENGTH
                    + " characters");
        }
    }
}
