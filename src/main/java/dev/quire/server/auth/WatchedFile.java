package dev.quire.server.auth;

import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A value read from a {@link PrivateFile} and read again whenever the file has changed (one {@code stat} per lookup),
 * so that another process's write — {@code quire server user add}, {@code keys rotate} — takes effect without a
 * restart. A change that cannot be read keeps the last good value in use, and is reported once, not on every lookup.
 *
 * @param <T> what the file holds, immutable
 */
final class WatchedFile<T> {
    /** Reads the value from the file's content (empty: no file); throws IllegalStateException if it is unusable. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(Optional<String> content);
    }

    private record Seen<T>(T value, PrivateFile.Stamp stamp) {
    }

    private final PrivateFile file;
    private final Parser<T> parser;
    private final Consumer<T> onReload;
    private final BiConsumer<T, IllegalStateException> onBroken;
    private volatile Seen<T> seen;

    /**
     * Reads the file now.
     *
     * @param onReload called with the new value after a change by someone else was read
     * @param onBroken called with the value kept in use when a change could not be read
     * @throws IllegalStateException if the file cannot be read now
     */
    WatchedFile(PrivateFile file, Parser<T> parser, Consumer<T> onReload,
                BiConsumer<T, IllegalStateException> onBroken) {
        this.file = file;
        this.parser = parser;
        this.onReload = onReload;
        this.onBroken = onBroken;
        this.seen = read();
    }

    /** The value as the file holds it now (or the last good one). */
    T get() {
        Seen<T> s = seen;
        if (file.changedSince(s.stamp())) {
            synchronized (this) {
                s = seen;
                if (file.changedSince(s.stamp())) {
                    try {
                        s = read();
                        onReload.accept(s.value());
                    } catch (IllegalStateException e) {
                        onBroken.accept(s.value(), e);
                        s = new Seen<>(s.value(), file.stamp()); // remember the broken state: warn once
                    }
                    seen = s;
                }
            }
        }
        return s.value();
    }

    /**
     * Reads the file again after this process wrote it, without reporting a change.
     *
     * @return the stamp of what was read, to compare with the stamp the write left
     */
    synchronized PrivateFile.Stamp reload() {
        seen = read();
        return seen.stamp();
    }

    private Seen<T> read() {
        Optional<PrivateFile.Read> r = file.read();
        return new Seen<>(parser.parse(r.map(PrivateFile.Read::content)),
                r.map(PrivateFile.Read::stamp).orElse(PrivateFile.Stamp.ABSENT));
    }
}
