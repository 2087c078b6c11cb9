package dev.quire.server.storage;

import java.nio.file.Path;

/**
 * The server's embedded H2 database, {@code quire.mv.db} under the data directory, and the stores kept in it (with
 * the documents' update logs and the journal beside it, ADR 0011). One data directory and one connection for
 * everything, so a document, its access rules and the refresh tokens of its users are backed up, restored and
 * migrated together.
 */
public final class H2Storage implements AutoCloseable {

    /** Opens (creating and migrating if needed) the database in {@code dataDir}. */
    public static H2Storage open(Path dataDir, H2DocumentStore.Options options) {
        LiveDocuments live = new LiveDocuments(options.cachedDocuments());
        H2Database db = H2Database.open("file:", "", dataDir, options.durability(), live::clear);
        try {
            return new H2Storage(db, H2DocumentStore.over("file:", db, live, options),
                    new H2WorkspaceStore(db, options.clock()), new H2RefreshTokenStore(db));
        } catch (RuntimeException | Error e) {
            db.close();
            throw e;
        }
    }

    private final H2Database db;
    private final H2DocumentStore documents;
    private final H2WorkspaceStore workspaces;
    private final H2RefreshTokenStore refreshTokens;

    private H2Storage(H2Database db, H2DocumentStore documents, H2WorkspaceStore workspaces,
                      H2RefreshTokenStore refreshTokens) {
        this.db = db;
        this.documents = documents;
        this.workspaces = workspaces;
        this.refreshTokens = refreshTokens;
    }

    public DocumentStore documents() {
        return documents;
    }

    /** Workspaces and shares, in the same database as {@link #documents()}. */
    public WorkspaceStore workspaces() {
        return workspaces;
    }

    /** Refresh token families and hashes (Schema migration 3). */
    public RefreshTokenStore refreshTokens() {
        return refreshTokens;
    }

    @Override
    public void close() {
        documents.close();
        db.close();
    }
}
