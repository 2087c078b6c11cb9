package dev.quire.bench.load;

import java.time.Duration;
import java.util.Objects;

/**
 * The shape of one load run: {@code clients} clients spread round-robin over {@code docs} documents, each making
 * {@code editsPerSecond} edits a second for {@code warmup} (not measured) and then {@code duration} (measured).
 * After typing stops, the run waits up to {@code drain} for the last edits (and acks) to arrive. {@code seed} fixes
 * every random choice of the generator (positions, deletes, client ids, phases).
 */
public record LoadConfig(
        int clients, int docs, double editsPerSecond, Duration warmup, Duration duration, Duration drain, long seed) {

    /** Issue 5's load: 200 clients over 20 documents, 5 edits/s each, 30 s measured after 10 s of warm-up. */
    public static LoadConfig issue5() {
        return new LoadConfig(200, 20, 5, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(15), 42);
    }

    public LoadConfig {
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(drain, "drain");
        if (docs < 1) {
            throw new IllegalArgumentException("docs must be at least 1: " + docs);
        }
        // "from one client's edit to every other client": a document needs a second client to measure anything
        if (clients < 2 * docs) {
            throw new IllegalArgumentException(
                    "need at least 2 clients per document: " + clients + " clients for " + docs + " documents");
        }
        if (!(editsPerSecond > 0 && editsPerSecond <= 1000)) {
            throw new IllegalArgumentException("edits per second must be in (0, 1000]: " + editsPerSecond);
        }
        if (duration.isNegative() || duration.isZero() || warmup.isNegative() || drain.isNegative()) {
            throw new IllegalArgumentException("duration must be positive, warm-up and drain not negative");
        }
    }

    /** Which document client {@code client} edits. */
    int docOf(int client) {
        return client % docs;
    }

    /** Edits one client makes at most (a little slack for timer jitter), to size its edit log up front. */
    int maxEditsPerClient() {
        double seconds = (warmup.toMillis() + duration.toMillis()) / 1000.0;
        return (int) Math.ceil(seconds * editsPerSecond * 1.1) + 16;
    }
}
