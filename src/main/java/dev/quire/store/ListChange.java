package dev.quire.store;

import java.time.Instant;

/**
 * A change to the document list made without the server, kept until the server has made it ({@link
 * ListChangeQueue}): {@code seq} orders it among the profile's changes.
 *
 * @param workspaceId for {@link Kind#CREATE}: the workspace, or null for the user's default one; else null
 * @param title       for {@link Kind#CREATE} and {@link Kind#RENAME}; else null
 */
public record ListChange(long seq, String userId, Kind kind, String docId, String workspaceId, String title,
                         Instant createdAt) {
    public enum Kind {
        /** A new document, with the id it was created under here (its edits are queued under it too). */
        CREATE,
        RENAME,
        DELETE
    }
}
