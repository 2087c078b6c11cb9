package dev.quire.store;

import java.time.Instant;

/**
 * A change to the document list made without the server, kept until the server has made it ({@link
 * ListChangeQueue}): {@code seq} orders it among the profile's changes.
 *
 * @param docId       the document's id; for the workspace kinds, the workspace's
 * @param workspaceId for {@link Kind#CREATE}: the workspace, or null for the user's default one; else null
 * @param title       the document's title, or the workspace's name; null for {@link Kind#DELETE}
 */
public record ListChange(long seq, String userId, Kind kind, String docId, String workspaceId, String title,
                         Instant createdAt) {
    public enum Kind {
        /** A new document, with the id it was created under here (its edits are queued under it too). */
        CREATE,
        RENAME,
        DELETE,
        /** A new workspace, with the id it was created under here (documents may be created in it meanwhile). */
        CREATE_WORKSPACE,
        RENAME_WORKSPACE;

        /** Whether the change is to a workspace rather than a document. */
        public boolean ofWorkspace() {
            return this == CREATE_WORKSPACE || this == RENAME_WORKSPACE;
        }
    }
}
