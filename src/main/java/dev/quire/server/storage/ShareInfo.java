package dev.quire.server.storage;

import java.time.Instant;

/** A document shared with a user who does not own it; {@code sharedAt} is when the role was last set. */
public record ShareInfo(String docId, String userId, ShareRole role, Instant sharedAt) {
}
