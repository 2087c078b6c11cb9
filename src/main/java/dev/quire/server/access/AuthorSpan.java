package dev.quire.server.access;

import dev.quire.server.storage.HistoryEntry;
import java.util.Optional;

/**
 * A stretch {@code [from, to)} of a text written by one user: the stored update that brought its first character
 * (empty for content whose origin the log no longer knows).
 */
public record AuthorSpan(int from, int to, Optional<HistoryEntry> writer) {
}
