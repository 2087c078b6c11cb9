package dev.quire.server.storage;

import dev.quire.server.storage.StorageException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.h2.store.fs.FilePath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead journal of stored updates: an append-only file that takes an update (with its attribution) in one
 * write, so that the update is as durable as {@link Durability} says before it is acknowledged or relayed, while
 * its document's log gets it later, many at a time ({@link JournalFolder}, {@link DocumentLogs}).
 *
 * <p>Why: storing each update in H2 before relaying it cost ~0.6 ms of CPU and ~100 KB of garbage per update (one
 * MVStore chunk per commit, every B-tree page from leaf to root copied and written), which under issue 5's load was
 * most of the server's CPU and the whole of its latency tail (bench/README.md). An append here is one small write
 * system call.
 *
 * <p>Layout: files {@code journal/NNNNNNNNNNNN.log} ("segments") under the data directory, each starting with
 * {@link #MAGIC}, then records ({@link UpdateRecord}). A new segment starts when the current one passes {@link
 * #SEGMENT_BYTES}; a segment is deleted once every update in it is in its document's log and the logs and the
 * database are on the device. Files are opened through H2's file system layer so that the fault-injecting
 * file systems of the tests reach the journal too.
 *
 * <p>Recovery (in {@link #open}): every segment is read in order. A record cut short at the very end of the last
 * segment is what a crash during its write leaves (a power loss, since a {@code kill -9} cannot interrupt a write
 * system call): such a tail was never acknowledged, and is dropped with a warning. Anything else that does not read
 * back (a bad checksum inside the file, an impossible length) is damage, and opening fails with {@link
 * Reason#CORRUPT} rather than guessing.
 *
 * <p>Thread-safety: every method is synchronized; {@link #awaitDurable} forces outside that lock, so writers keep
 * writing while a force is under way (group commit for {@link Durability#POWER_LOSS}).
 */
final class UpdateJournal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UpdateJournal.class);

    static final byte[] MAGIC = "QUIREJ1\n".getBytes(StandardCharsets.US_ASCII);
    /** A segment is closed and a new one started once it is this long (16 MiB: a few seconds of heavy load). */
    static final long SEGMENT_BYTES = 16L << 20;
    /** One stored update, with its attribution and the client ids it binds to its user. */
    record Entry(String docId, long seq, String userId, String connectionId, Instant serverTime,
                 List<ClockRange> added, List<Long> boundClients, byte[] update) {
        @Override
        public String toString() {
            return "Entry[" + docId + " seq " + seq + ", " + update.length + " bytes]";
        }
    }

    /** An entry read back, with its record as written ({@link UpdateRecord}). */
    record Journaled(Entry entry, byte[] record) {
    }

    /** Where a record ends: its segment and the offset just after it. */
    record Position(long segment, long end) {
    }

    private final String fileSystem;
    private final Path dir;
    private final Durability durability;
    private final long segmentBytes;
    private FileChannel channel;
    private long segment;
    private long size;
    /**
     * Where the file must be cut back to before the next write, when cutting off a failed write failed too: until
     * then it may end in part of a record, which recovery would take for damage once more records followed it.
     */
    private long undoTo = -1;
    private boolean closed;
    /** Everything up to here is on the device. Guarded by {@link #forceLock}. */
    private Position forced = new Position(0, 0);
    private final Object forceLock = new Object();
    private long lastForceNanos = System.nanoTime();

    private UpdateJournal(String fileSystem, Path dir, Durability durability, long segmentBytes) {
        this.fileSystem = fileSystem;
        this.dir = dir;
        this.durability = durability;
        this.segmentBytes = segmentBytes;
    }

    /**
     * Opens the journal in {@code dataDir/journal}, first handing over what a previous run left there (journaled,
     * but perhaps not yet in the document logs).
     *
     * @param segmentBytes  a segment is closed and the next one started once it is this long
     * @param replay        gets the updates of each existing segment, oldest segment first
     * @param beforeDelete  runs once every segment was replayed, before they are deleted: makes the logs durable
     */
    static UpdateJournal open(String fileSystem, Path dataDir, Durability durability, long segmentBytes,
                              Consumer<List<Journaled>> replay, Runnable beforeDelete) {
        UpdateJournal journal = new UpdateJournal(fileSystem, dataDir.resolve("journal"), durability, segmentBytes);
        journal.start(replay, beforeDelete);
        return journal;
    }

    private void start(Consumer<List<Journaled>> replay, Runnable beforeDelete) {
        TreeMap<Long, FilePath> existing;
        try {
            FilePath d = path(dir);
            if (!d.exists()) {
                d.createDirectory();
            }
            existing = segments();
        } catch (RuntimeException e) {
            throw StorageErrors.failure(dir, "opening the update journal in " + dir, e);
        }
        long next = existing.isEmpty() ? 1 : existing.lastKey() + 1;
        for (var it = existing.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            replay.accept(read(e.getValue(), !it.hasNext()));
        }
        if (!existing.isEmpty()) {
            beforeDelete.run();
            for (FilePath f : existing.values()) {
                f.delete();
            }
        }
        openSegment(next);
    }

    /** The segment files, by number. */
    private TreeMap<Long, FilePath> segments() {
        TreeMap<Long, FilePath> out = new TreeMap<>();
        for (FilePath f : path(dir).newDirectoryStream()) {
            String name = Path.of(f.getName()).getFileName().toString();
            if (name.matches("\\d{12}\\.log")) {
                out.put(Long.parseLong(name.substring(0, 12)), f);
            }
        }
        return out;
    }

    private FilePath path(Path p) {
        return FilePath.get(fileSystem + p.toAbsolutePath());
    }

    private Path segmentPath(long n) {
        return dir.resolve(String.format("%012d.log", n));
    }

    // ---- reading back ----

    private List<Journaled> read(FilePath file, boolean last) {
        byte[] bytes;
        try {
            bytes = RecordFiles.readAll(file,
                    length -> corrupt(file, 0, "it is " + length + " bytes long, far more than a segment ever is"));
        } catch (IOException e) {
            throw StorageErrors.failure(dir, "reading the update journal " + file.getName(), e);
        }
        List<Journaled> entries = new ArrayList<>();
        if (bytes.length < MAGIC.length) {
            if (last) {
                return entries; // created just before a crash, before its header reached the disk
            }
            throw corrupt(file, 0, "it has no header");
        }
        int end = RecordFiles.parse(bytes, MAGIC,
                "it does not start with the journal header (not a Quire journal, or a newer one)", last,
                (at, offset, length) -> {
                    UpdateRecord.Decoded d = UpdateRecord.decode(bytes, offset, length);
                    if (d.bodyDropped()) {
                        throw new IOException("a journal record without its update");
                    }
                    entries.add(new Journaled(d.entry(), Arrays.copyOfRange(bytes, at, offset + length)));
                }, (offset, why) -> corrupt(file, offset, why));
        if (end < bytes.length) {
            log.warn("event=journal_torn_tail file={} offset={} dropped_bytes={} note=\"the end of a write cut short"
                    + " by a crash; it was never acknowledged\"", file.getName(), end, bytes.length - end);
        }
        return entries;
    }

    private StorageException corrupt(FilePath file, int offset, String why) {
        return new StorageException(Reason.CORRUPT, "the update journal " + file.getName() + " in " + dir
                + " is damaged at byte " + offset + ": " + why + "; restore the data directory from a backup");
    }

    // ---- writing ----

    private void openSegment(long n) {
        Path p = segmentPath(n);
        try {
            channel = path(p).open("rw");
            channel.truncate(0);
            RecordFiles.writeFully(channel, ByteBuffer.wrap(MAGIC), 0);
        } catch (IOException e) {
            throw StorageErrors.failure(dir, "starting the update journal segment " + p.getFileName(), e);
        }
        segment = n;
        size = MAGIC.length;
        if (durability == Durability.POWER_LOSS) {
            // a new file's name must reach the device too, or a power loss forgets the file
            RecordFiles.forceDirectory(dir);
        }
    }

    /**
     * Writes an update's record ({@link UpdateRecord#encode} of {@code e}). With {@link Durability#PROCESS_CRASH} it
     * is then as durable as promised (the operating system has it); with {@link Durability#POWER_LOSS} the caller
     * must also {@link #awaitDurable} it. If the write fails, the file is cut back to where it was, so nothing
     * half-written stays in it.
     */
    synchronized Position append(Entry e, byte[] record) {
        if (closed) {
            throw new StorageException(Reason.CLOSED, "storing an update for document " + e.docId()
                    + " failed: the store is closed");
        }
        String what = "storing an update of " + e.update().length + " bytes for document " + e.docId();
        if (undoTo >= 0) {
            try {
                channel.truncate(undoTo);
                undoTo = -1;
            } catch (IOException failure) {
                throw StorageErrors.failure(dir, what, failure);
            }
        }
        if (size >= segmentBytes) {
            roll();
        }
        long start = size;
        try {
            RecordFiles.writeFully(channel, ByteBuffer.wrap(record), start);
        } catch (IOException failure) {
            try {
                channel.truncate(start);
            } catch (IOException | RuntimeException truncateFailed) {
                failure.addSuppressed(truncateFailed);
                undoTo = start; // tried again before the next write
            }
            throw StorageErrors.failure(dir, what, failure);
        }
        size = start + record.length;
        return new Position(segment, size);
    }


    /** Closes the current segment (forced, so that its deletion later never races a write) and starts the next. */
    private void roll() {
        try {
            channel.force(false);
            channel.close();
        } catch (IOException e) {
            throw StorageErrors.failure(dir, "closing the update journal segment " + segment, e);
        }
        // no need to note it in `forced`: awaitDurable sees the segment number move on (and taking forceLock here,
        // under this object's lock, would invert awaitDurable's lock order)
        openSegment(segment + 1);
    }

    /** For {@link Durability#POWER_LOSS}: returns once the record ending at {@code p} is on the device. */
    void awaitDurable(Position p) {
        synchronized (forceLock) {
            if (covers(forced, p)) {
                return; // another writer's force took it along
            }
            Position upTo;
            FileChannel ch;
            synchronized (this) {
                upTo = new Position(segment, size);
                ch = channel;
            }
            if (upTo.segment() > p.segment()) {
                return; // rolled since: roll() forced the segment before closing it
            }
            try {
                ch.force(false);
            } catch (IOException e) {
                throw StorageErrors.failure(dir, "forcing the update journal to the device", e);
            }
            forced = upTo;
            lastForceNanos = System.nanoTime();
        }
    }

    private static boolean covers(Position done, Position p) {
        return done.segment() > p.segment() || (done.segment() == p.segment() && done.end() >= p.end());
    }

    /**
     * For {@link Durability#PROCESS_CRASH}: forces what was written if the last force is older than {@code
     * intervalNanos}, bounding what a power loss can take. Called by the folder's thread, never by a writer.
     */
    void forceIfOlderThan(long intervalNanos) {
        synchronized (forceLock) { // then this object's lock, inside: awaitDurable's order
            if (System.nanoTime() - lastForceNanos < intervalNanos) {
                return;
            }
            Position last;
            synchronized (this) {
                if (closed) {
                    return;
                }
                last = new Position(segment, size);
            }
            if (!covers(forced, last)) {
                awaitDurable(last);
            }
            lastForceNanos = System.nanoTime();
        }
    }

    synchronized long currentSegment() {
        return segment;
    }

    /** Deletes the segments before {@code segment}: every update in them is in its log, on the device. */
    synchronized void deleteBefore(long segment) {
        for (var e : segments().headMap(segment).entrySet()) {
            e.getValue().delete();
        }
    }


    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.force(false);
            channel.close();
        } catch (IOException e) {
            log.warn("event=journal_close_failed error=\"{}\"", e.getMessage());
        }
    }
}
