package dev.quire.server.storage;

import dev.quire.server.storage.StorageException.Reason;
import dev.quire.server.storage.UpdateJournal.Entry;
import dev.quire.server.storage.UpdateRecord.Decoded;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.h2.store.fs.FilePath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each document's update log, a file of its own: every update stored for the document, in seq order, with its
 * attribution ({@link UpdateRecord}s, the journal's records copied as they are). History, attribution and a document's
 * rebuild read it; the database keeps only the document's metadata and compacted snapshot.
 *
 * <p>Why not rows in H2: inserting each update as a row (with its B-tree pages, undo log and index) cost more CPU and
 * made more garbage than everything else the server does per update, and under issue 5's load that garbage, as young
 * collections, set the latency tail. Appending a record that is already encoded costs one write system call.
 *
 * <p>Layout: {@code logs/<hex SHA-256 of the document id>.log} under the data directory (ids are any string; the hash
 * makes a safe file name on every file system), starting with {@link #MAGIC}. Records are appended by {@link
 * JournalFolder} after the journal has them, and are forced to the device ({@link #force}) before the journal deletes
 * them, so a record cut short by a crash at a log's end is always still in the journal: it is cut off when the log is
 * next opened for appending, and the journal's replay appends it again. Damage anywhere else fails with {@link
 * Reason#CORRUPT}. Compaction rewrites a log whole ({@link #rewrite}: a new file, forced, renamed over the old one).
 *
 * <p>Files are opened through H2's file system layer, as the journal's are, so that the fault-injecting file systems
 * of the tests reach them too. Thread-safety: every method is synchronized; at most {@link #OPEN_FILES} logs are kept
 * open for appending at once.
 */
final class DocumentLogs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DocumentLogs.class);

    static final byte[] MAGIC = "QUIREL1\n".getBytes(StandardCharsets.US_ASCII);
    static final int OPEN_FILES = 128;

    /** A log open for appending: where it ends and the last seq in it. */
    private static final class Open {
        final FileChannel channel;
        long size;
        long lastSeq;
        boolean unforced;

        Open(FileChannel channel, long size, long lastSeq) {
            this.channel = channel;
            this.size = size;
            this.lastSeq = lastSeq;
        }
    }

    private final String fileSystem;
    private final Path dir;
    /** Least recently used first. */
    private final LinkedHashMap<String, Open> open = new LinkedHashMap<>(16, 0.75f, true);
    /**
     * Where each log closed in this run ended, and its last seq: reopened, it needs no scan (only the first opening
     * after a start can meet a torn tail). Dropped when the log is deleted, rewritten or fails.
     */
    private final Map<String, long[]> closedEnds = new HashMap<>();
    /** Whether a log file was created or renamed since the directory was last forced. */
    private boolean directoryChanged;
    private boolean closed;

    private DocumentLogs(String fileSystem, Path dir) {
        this.fileSystem = fileSystem;
        this.dir = dir;
    }

    /** Opens the logs in {@code dataDir/logs}, creating the directory if needed. */
    static DocumentLogs open(String fileSystem, Path dataDir) {
        DocumentLogs logs = new DocumentLogs(fileSystem, dataDir.resolve("logs"));
        try {
            FilePath d = logs.path(logs.dir);
            if (!d.exists()) {
                d.createDirectory();
            }
        } catch (RuntimeException e) {
            throw StorageErrors.failure(logs.dir, "opening the document logs in " + logs.dir, e);
        }
        return logs;
    }

    // ---- writing ----

    /**
     * Appends {@code record} (the encoded {@code e}) to its document's log, unless the log has that seq already
     * (replaying the journal after a crash). Returns whether it was appended.
     *
     * @throws StorageException {@link Reason#CORRUPT} if the log stops short of {@code e.seq() - 1}
     */
    synchronized boolean append(Entry e, byte[] record) {
        Open o = openForAppend(e.docId());
        if (e.seq() <= o.lastSeq) {
            return false;
        }
        if (e.seq() != o.lastSeq + 1) {
            throw new StorageException(Reason.CORRUPT, "the update journal has update " + e.seq() + " of document "
                    + e.docId() + " but its log stops at " + o.lastSeq + "; restore the data directory from a backup");
        }
        try {
            RecordFiles.writeFully(o.channel, ByteBuffer.wrap(record), o.size);
        } catch (IOException | RuntimeException failure) {
            // Whatever part of the record reached the file is cut off when the log is opened again (a torn tail).
            forget(e.docId());
            throw StorageErrors.failure(dir, "appending update " + e.seq() + " to the log of document " + e.docId(),
                    failure);
        }
        o.size += record.length;
        o.lastSeq = e.seq();
        o.unforced = true;
        return true;
    }

    /** Forces every log appended to since the last force to the device, and the new files' names. */
    synchronized void force() {
        if (directoryChanged) {
            RecordFiles.forceDirectory(dir);
            directoryChanged = false;
        }
        for (Map.Entry<String, Open> e : open.entrySet()) {
            Open o = e.getValue();
            if (o.unforced) {
                try {
                    o.channel.force(false);
                } catch (IOException failure) {
                    throw StorageErrors.failure(dir, "forcing the log of document " + e.getKey() + " to the device",
                            failure);
                }
                o.unforced = false;
            }
        }
    }

    /**
     * Replaces a document's log with {@code records} (encoded, in seq order): written to a new file, forced, and
     * renamed over the old one, so a crash leaves either log whole.
     */
    synchronized void rewrite(String docId, List<byte[]> records) {
        forget(docId);
        Path target = logPath(docId);
        Path temp = target.resolveSibling(target.getFileName() + ".new");
        try {
            try (FileChannel ch = path(temp).open("rw")) {
                ch.truncate(0);
                long at = RecordFiles.writeFully(ch, ByteBuffer.wrap(MAGIC), 0);
                for (byte[] r : records) {
                    at = RecordFiles.writeFully(ch, ByteBuffer.wrap(r), at);
                }
                ch.force(false);
            }
            path(temp).moveTo(path(target), true);
            directoryChanged = true;
        } catch (IOException | RuntimeException e) {
            path(temp).delete();
            throw StorageErrors.failure(dir, "rewriting the log of document " + docId, e);
        }
    }

    /**
     * Rewrites a document's log without the bytes of its updates up to {@code upToSeq} (they are in its snapshot);
     * every record keeps its attribution. Appends wait meanwhile, so none is lost between the reading and the rewrite.
     */
    synchronized void dropBodies(String docId, long upToSeq) {
        List<byte[]> kept = new ArrayList<>();
        for (Decoded d : read(docId)) {
            boolean keepBody = !d.bodyDropped() && d.entry().seq() > upToSeq;
            kept.add(keepBody ? UpdateRecord.encode(d.entry())
                    : UpdateRecord.encodeWithoutBody(d.entry(), d.byteLength()));
        }
        rewrite(docId, kept);
    }

    /** Deletes a document's log, if it has one. */
    synchronized void delete(String docId) {
        forget(docId);
        try {
            path(logPath(docId)).delete();
        } catch (RuntimeException e) {
            throw StorageErrors.failure(dir, "deleting the log of document " + docId, e);
        }
    }

    // ---- reading ----


    /** Every record in a document's log, in seq order (a torn tail left by a crash is not among them). */
    synchronized List<Decoded> read(String docId) {
        return scan(docId, path(logPath(docId))).records;
    }

    private record Scan(List<Decoded> records, long validLength) {
    }

    private Scan scan(String docId, FilePath file) {
        if (!file.exists()) {
            return new Scan(List.of(), 0);
        }
        byte[] bytes;
        try {
            bytes = RecordFiles.readAll(file, length -> corrupt(docId, 0, "it is " + length + " bytes long; compact"
                    + " the document with a Quire that reads logs this long"));
        } catch (IOException e) {
            throw StorageErrors.failure(dir, "reading the log of document " + docId, e);
        }
        if (bytes.length < MAGIC.length) {
            return new Scan(List.of(), 0); // created just before a crash, before its header reached the disk
        }
        List<Decoded> records = new ArrayList<>();
        // a log is always the last of its kind: its end may be torn
        int end = RecordFiles.parse(bytes, MAGIC,
                "it does not start with the log header (not a Quire document log, or a newer one)", true,
                (at, offset, length) -> {
                    Decoded d = UpdateRecord.decode(bytes, offset, length);
                    long before = records.isEmpty() ? 0 : records.get(records.size() - 1).entry().seq();
                    if (!d.entry().docId().equals(docId) || d.entry().seq() <= before) {
                        throw corrupt(docId, at, "it holds update " + d.entry().seq() + " of document "
                                + d.entry().docId() + " after update " + before);
                    }
                    records.add(d);
                }, (offset, why) -> corrupt(docId, offset, why));
        if (end < bytes.length) {
            log.warn("event=document_log_torn_tail doc={} offset={} dropped_bytes={} note=\"the end of a write cut"
                    + " short by a crash; the update journal still has it\"", docId, end, bytes.length - end);
        }
        return new Scan(records, end);
    }

    private StorageException corrupt(String docId, int offset, String why) {
        return new StorageException(Reason.CORRUPT, "the log of document " + docId + " (" + logPath(docId)
                + ") is damaged at byte " + offset + ": " + why + "; restore the data directory from a backup");
    }

    // ---- files ----

    /** The open log of a document, opened (its torn tail cut off, or the file created) if it was not. */
    private Open openForAppend(String docId) {
        if (closed) {
            throw new StorageException(Reason.CLOSED, "the log of document " + docId + " cannot be used: the store is"
                    + " closed");
        }
        Open o = open.get(docId);
        if (o != null) {
            return o;
        }
        FilePath file = path(logPath(docId));
        long[] end = closedEnds.remove(docId);
        if (end != null) {
            try {
                FileChannel ch = file.open("rw");
                if (ch.size() == end[0]) {
                    return opened(docId, new Open(ch, end[0], end[1]));
                }
                closeQuietly(ch); // changed behind our back: read it again
            } catch (IOException | RuntimeException e) {
                log.debug("event=document_log_reopen_failed doc={} error=\"{}\"", docId, e.getMessage());
            }
        }
        Scan scan = scan(docId, file);
        boolean existed = file.exists();
        FileChannel ch = null;
        try {
            ch = file.open("rw");
            directoryChanged |= !existed;
            long size = scan.validLength();
            if (size < MAGIC.length) {
                ch.truncate(0);
                size = RecordFiles.writeFully(ch, ByteBuffer.wrap(MAGIC), 0);
            } else if (ch.size() > size) {
                keepCut(docId, ch, size);
                ch.truncate(size);
            }
            long lastSeq = scan.records().isEmpty() ? 0 : scan.records().get(scan.records().size() - 1).entry().seq();
            o = new Open(ch, size, lastSeq);
            o.unforced = true; // a new header, or a cut: forced with the next appends
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                closeQuietly(ch);
            }
            throw StorageErrors.failure(dir, "opening the log of document " + docId, e);
        }
        return opened(docId, o);
    }

    private Open opened(String docId, Open o) {
        open.put(docId, o);
        closeLeastRecentlyUsed();
        return o;
    }

    /**
     * Copies what is about to be cut off a log's end into {@code <log>.cut-<offset>} beside it: a torn tail is still
     * in the journal, but damage that only looks like one (a length field hit mid-file) would otherwise take the
     * records after it along.
     */
    private void keepCut(String docId, FileChannel ch, long from) throws IOException {
        long length = ch.size() - from;
        ByteBuffer cut = ByteBuffer.allocate((int) Math.min(length, Integer.MAX_VALUE));
        while (cut.hasRemaining() && ch.read(cut, from + cut.position()) >= 0) {
            // read it all
        }
        cut.flip();
        Path side = logPath(docId).resolveSibling(logPath(docId).getFileName() + ".cut-" + from);
        try (FileChannel out = path(side).open("rw")) {
            out.truncate(0);
            RecordFiles.writeFully(out, cut, 0);
            out.force(false);
        }
        log.warn("event=document_log_tail_cut doc={} offset={} bytes={} kept_in={}", docId, from, length,
                side.getFileName());
    }

    /** Keeps at most {@link #OPEN_FILES} open: the others are forced and closed. */
    private void closeLeastRecentlyUsed() {
        for (Iterator<Map.Entry<String, Open>> it = open.entrySet().iterator(); open.size() > OPEN_FILES; ) {
            Map.Entry<String, Open> e = it.next();
            Open o = e.getValue();
            try {
                if (o.unforced) {
                    o.channel.force(false); // force() only reaches open logs
                }
                o.channel.close();
                closedEnds.put(e.getKey(), new long[] {o.size, o.lastSeq});
            } catch (IOException failure) {
                throw StorageErrors.failure(dir, "closing the log of document " + e.getKey(), failure);
            } finally {
                it.remove();
            }
        }
    }

    /**
     * Closes a document's log without forcing it: for a log about to be deleted or replaced, or one whose last write
     * failed (what reached the file is then cut off when it is opened again).
     */
    private void forget(String docId) {
        closedEnds.remove(docId);
        Open o = open.remove(docId);
        if (o != null) {
            closeQuietly(o.channel);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            log.debug("event=document_log_close_failed error=\"{}\"", e.getMessage());
        }
    }



    Path logPath(String docId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(docId.getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(hash) + ".log");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java runtime has SHA-256", impossible);
        }
    }

    private FilePath path(Path p) {
        return FilePath.get(fileSystem + p.toAbsolutePath());
    }

    /** Forces and closes every open log. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            force();
        } finally {
            closed = true;
            for (Open o : open.values()) {
                closeQuietly(o.channel);
            }
            open.clear();
        }
    }
}
