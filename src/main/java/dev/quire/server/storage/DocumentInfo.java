package dev.quire.server.storage;

import java.time.Instant;

/**
 * A document's metadata. {@code updatedAt} moves with every rename and every stored update.
 *
 * @param id          the store-assigned id (a random UUID string)
 * @param workspaceId the workspace the document belongs to (opaque: workspaces are not stored here yet)
 * @param ownerUserId the user who created it (opaque: users are not stored here yet)
 */
public record DocumentInfo(String id, String workspaceId, String ownerUserId, String title, Instant createdAt,
                           Instant updatedAt) {
}
