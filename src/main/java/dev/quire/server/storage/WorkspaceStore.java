package dev.quire.server.storage;

import java.util.List;
import java.util.Optional;

/**
 * Workspaces and document shares: the facts access decisions are made from (the decisions themselves are made in
 * {@code dev.quire.server.access}). User ids are opaque: users are kept elsewhere, and this store never checks that
 * one exists.
 *
 * <p>Deleting a document (through {@link DocumentStore#deleteDocument}) deletes its shares. Failures as {@link
 * DocumentStore} documents them: {@link NoSuchDocumentException}, {@link StorageException}, and {@link
 * IllegalArgumentException} for a missing or too long id or name; nothing of a failed operation is stored.
 */
public interface WorkspaceStore {

    /** The longest name a workspace may have, in UTF-16 chars (the column is VARCHAR(200)). */
    int MAX_NAME_LENGTH = 200;

    // ---- workspaces ----

    /** Creates a workspace with a new random id. */
    default WorkspaceInfo createWorkspace(String ownerUserId, String name) {
        return createWorkspace(java.util.UUID.randomUUID().toString(), ownerUserId, name);
    }

    /**
     * Creates a workspace with the given id, or, if a workspace has that id already, returns it unchanged (the caller
     * tells a retried create from someone else's id by its owner).
     */
    WorkspaceInfo createWorkspace(String workspaceId, String ownerUserId, String name);

    /**
     * The user's default workspace, created with {@code name} if they have none yet. Concurrent first calls for one
     * user create exactly one.
     */
    WorkspaceInfo defaultWorkspace(String ownerUserId, String name);

    Optional<WorkspaceInfo> workspace(String workspaceId);

    /** Renames a workspace; the renamed workspace, or empty if there is none with that id. */
    Optional<WorkspaceInfo> renameWorkspace(String workspaceId, String name);

    /** The user's workspaces: the default first, then oldest first. */
    List<WorkspaceInfo> workspaces(String ownerUserId);

    /** The documents in every workspace the user owns, oldest first. */
    List<DocumentInfo> ownedDocuments(String ownerUserId);

    // ---- access facts ----

    /** The document with its workspace's owner and its share with the user; empty if there is no such document. */
    Optional<DocumentGrant> grant(String docId, String userId);

    // ---- shares ----

    /** Shares the document with the user, or changes the role of an existing share. */
    ShareInfo share(String docId, String userId, ShareRole role);

    /** Removes the user's share; false if there was none. */
    boolean unshare(String docId, String userId);

    /** The document's shares, oldest first. */
    List<ShareInfo> shares(String docId);

    /** The documents shared with the user, oldest share first. */
    List<SharedDocument> sharedWith(String userId);
}
