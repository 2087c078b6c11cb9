package dev.quire.server.storage;

import java.time.Instant;

/**
 * A workspace: a named folder of documents that belongs to one user. Its owner owns every document in it.
 *
 * @param id          the store-assigned id (a random UUID string)
 * @param isDefault   whether it is the user's default workspace, where documents go when no workspace is named (at
 *                    most one per user)
 */
public record WorkspaceInfo(String id, String ownerUserId, String name, boolean isDefault, Instant createdAt) {
}
