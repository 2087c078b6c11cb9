package dev.quire.store;

import java.net.URI;
import java.nio.file.Path;

/**
 * One user on one server on this machine: its own directory, so its own local store (and its own outbox).
 * {@code server} is normalized (see {@link Profiles#normalize}); {@code directory} is derived from both by {@link
 * Profiles}, never taken from the URL as given.
 */
public record Profile(URI server, String userId, Path directory) {
}
