package dev.quire.store;

import dev.quire.crdt.Doc;
import dev.quire.crdt.UpdateFormatException;
import dev.quire.crdt.Updates;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One profile's documents on disk (issue 6, "Local store"): each document's compacted state, the updates received
 * from the server, its sync metadata, and the <b>outbox</b> of local updates the server has not acknowledged yet.
 *
 * <p><b>Contract with the engine.</b> {@link #appendLocal} returns only once the update is committed to the file
 * (it survives kill -9 of the process), so the engine appends an edit first and sends it after. If an append throws
 * {@link LocalStoreException}, nothing of the update was stored: the engine keeps the edit in memory (it is in its
 * document already), tells the user it cannot save (the exception's {@link LocalStoreException#reason()}), and
 * appends it again later; the store needs no reopening once the cause (a full disk, say) is gone.
 *
 * <p><b>Whose outbox.</b> Every entry belongs to the user who typed it. {@link #pending} and {@link #mergedOutbox}
 * return only the given user's entries, so that nothing is ever sent with another user's token; {@link #load} returns
 * the text with everybody's unsent edits, since the screen shows what was typed on this machine.
 *
 * <p><b>Acknowledgements.</b> The server's {@code Ack(clientId, clock)} says it stored every struct of that client
 * below {@code clock}; {@link #acknowledged} moves each entry whose struct clocks are all covered into the history.
 * An update that only deletes has no clocks, so no clock can say it arrived; such an entry is dropped when a later
 * entry of the same user is acknowledged (the server stores one connection's updates in order, and the outbox is sent
 * in order), or by {@link #acknowledgedThrough} when the sync layer saw the ack of the frame that carried it.
 *
 * <p><b>Compaction</b> runs on the injected executor: every {@code compactEvery} history rows of a document are
 * folded into its state (applied to a fresh {@link Doc} and encoded again, which also drops deleted content), and the
 * file is rewritten when it holds much more dead space than data. The outbox is never compacted into the state:
 * discarding unsent edits must remove them.
 *
 * <p>Thread-safe; every method may be called from any thread.
 */
public final class LocalStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalStore.class);
    private static final byte[] EMPTY_UPDATE = Updates.encodeStateAsUpdate(new Doc(1));

    /** Tuning; tests shrink the thresholds. */
    record Options(int compactEvery, long minFileBytesToCompact, int fileSlackFactor) {
        static Options defaults() {
            return new Options(500, 4L * 1024 * 1024, 4);
        }
    }

    private final Database db;
    private final Clock clock;
    private final Executor background;
    /** The executor this store made itself (shut down at close), or null when one was injected. */
    private final ExecutorService ownExecutor;
    private final Options options;
    private final ListChangeQueue listChanges;
    /** History rows added per document since its last compaction. */
    private final Map<String, AtomicInteger> sinceCompaction = new ConcurrentHashMap<>();
    /** Documents whose compaction is queued or running: one at a time per document. */
    private final Set<String> compacting = ConcurrentHashMap.newKeySet();
    /** For tests: runs between a compaction's read and its write, where other writes may come in. */
    volatile Runnable afterCompactionRead = () -> { };

    private LocalStore(Database db, Clock clock, Executor background, ExecutorService ownExecutor, Options options) {
        this.db = db;
        this.clock = clock;
        this.background = background;
        this.ownExecutor = ownExecutor;
        this.options = options;
        this.listChanges = new ListChangeQueue(db, clock);
    }

    /**
     * Opens (creating if needed) the store of a profile, locked against every other opener until {@link #close}.
     * Compaction runs on a daemon thread of the store's own.
     *
     * @throws LocalStoreException LOCKED if another process or another open in this one holds it, READ_ONLY,
     *                             DISK_FULL, CORRUPT, or FAILED, with a message that says what to do
     */
    public static LocalStore open(Path profileDir, Clock clock) {
        ExecutorService own = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "quire-store-compaction");
            t.setDaemon(true);
            return t;
        });
        try {
            return open("file:", "", profileDir, clock, own, own, Options.defaults());
        } catch (RuntimeException e) {
            own.shutdown();
            throw e;
        }
    }

    /** As {@link #open(Path, Clock)}, with compaction run by {@code background}. */
    public static LocalStore open(Path profileDir, Clock clock, Executor background) {
        return open("file:", "", profileDir, clock, background, null, Options.defaults());
    }

    /** For tests: an H2 file system prefix, more H2 settings, and tuning. */
    static LocalStore open(String fileSystem, String moreSettings, Path profileDir, Clock clock, Executor background,
                           ExecutorService ownExecutor, Options options) {
        Database db = Database.open(fileSystem, moreSettings, profileDir);
        LocalStore store = new LocalStore(db, clock, background, ownExecutor, options);
        try {
            store.countHistory();
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return store;
    }

    /** The document list's changes made offline, in this store. */
    public ListChangeQueue listChanges() {
        return listChanges;
    }

    /** The profile directory (its real path). */
    public Path directory() {
        return db.directory();
    }

    // ---- writing ----

    /**
     * Stores a local update at the end of the document's outbox, owned by {@code userId}, and returns once it is
     * committed. Concurrent appends share a commit (group commit).
     *
     * @throws IllegalArgumentException if the update is not a Yjs v1 update
     * @throws LocalStoreException      if it could not be stored; then nothing of it was (see the class comment)
     */
    public OutboxEntry appendLocal(String docId, String userId, byte[] update) {
        checkId("document id", docId);
        checkId("user id", userId);
        List<ClockRange> clocks = clocksOf(update);
        Instant now = clock.instant();
        return db.write("saving an edit of document " + docId, c -> {
            ensureDocument(c, docId, now);
            long seq = nextSeq(c);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO outbox (doc_id, seq, user_id, body, created_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, docId);
                ps.setLong(2, seq);
                ps.setString(3, userId);
                ps.setBytes(4, update);
                ps.setObject(5, utc(now));
                ps.executeUpdate();
            }
            if (!clocks.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox_clocks (doc_id, seq, client_id,"
                        + " clock_start, clock_end) VALUES (?, ?, ?, ?, ?)")) {
                    for (ClockRange r : clocks) {
                        ps.setString(1, docId);
                        ps.setLong(2, seq);
                        ps.setLong(3, r.clientId());
                        ps.setInt(4, r.start());
                        ps.setInt(5, r.end());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            return new OutboxEntry(docId, seq, userId, update, clocks, now);
        });
    }

    /**
     * Stores an update received from the server. Committed when this returns; shares commits with concurrent writes.
     *
     * @throws IllegalArgumentException if the update is not a Yjs v1 update
     */
    public void appendRemote(String docId, byte[] update) {
        checkId("document id", docId);
        clocksOf(update); // validates
        Instant now = clock.instant();
        db.write("saving a received update of document " + docId, c -> {
            ensureDocument(c, docId, now);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO history (doc_id, seq, kind, body) VALUES (?, ?, 'REMOTE', ?)")) {
                ps.setString(1, docId);
                ps.setLong(2, nextSeq(c));
                ps.setBytes(3, update);
                ps.executeUpdate();
            }
            return null;
        });
        historyAdded(docId, 1);
    }

    /**
     * The server acknowledged every struct of {@code clientId} below {@code clock} (its {@code Ack} message): moves
     * every outbox entry of the document whose clocks are now all covered, whoever typed it, into the history, and
     * with them the same user's earlier delete-only entries (see the class comment). Returns how many entries left
     * the outbox.
     */
    public int acknowledged(String docId, long clientId, long clock) {
        checkId("document id", docId);
        int moved = db.transaction("recording an acknowledgement for document " + docId, c -> {
            if (!documentExists(c, docId)) {
                return 0;
            }
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO acked_clocks (doc_id, client_id, clock) KEY"
                    + " (doc_id, client_id) VALUES (?, ?, GREATEST(?, COALESCE((SELECT clock FROM acked_clocks"
                    + " WHERE doc_id = ? AND client_id = ?), 0)))")) {
                ps.setString(1, docId);
                ps.setLong(2, clientId);
                ps.setLong(3, clock);
                ps.setString(4, docId);
                ps.setLong(5, clientId);
                ps.executeUpdate();
            }
            return moveToHistory(c, docId, coveredEntries(c, docId));
        });
        historyAdded(docId, moved);
        return moved;
    }

    /**
     * The server acknowledged the frame that carried {@code userId}'s entries of the document up to {@code seq}
     * (for instance a {@link MergedOutbox}): moves them all into the history, delete-only ones included. Returns how
     * many entries left the outbox.
     */
    public int acknowledgedThrough(String docId, String userId, long seq) {
        checkId("document id", docId);
        checkId("user id", userId);
        int moved = db.transaction("recording an acknowledgement for document " + docId, c -> {
            List<Long> seqs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq FROM outbox WHERE doc_id = ? AND user_id = ? AND seq <= ? ORDER BY seq")) {
                ps.setString(1, docId);
                ps.setString(2, userId);
                ps.setLong(3, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        seqs.add(rs.getLong(1));
                    }
                }
            }
            return moveToHistory(c, docId, seqs);
        });
        historyAdded(docId, moved);
        return moved;
    }

    /** Records that the document finished syncing now, with the server's state vector (Yjs v1 encoding). */
    public void markSynced(String docId, byte[] serverStateVector) {
        checkId("document id", docId);
        Instant now = clock.instant();
        db.transaction("saving the sync state of document " + docId, c -> {
            ensureDocument(c, docId, now);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE documents SET last_synced_at = ?, server_state_vector = ? WHERE doc_id = ?")) {
                ps.setObject(1, utc(now));
                ps.setBytes(2, serverStateVector);
                ps.setString(3, docId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Drops {@code userId}'s unsent edits of one document, after the user agreed to lose them. Returns how many
     * entries were dropped.
     */
    public int discardUnsent(String docId, String userId) {
        checkId("document id", docId);
        checkId("user id", userId);
        return db.transaction("discarding unsent edits of document " + docId, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM outbox_clocks k WHERE k.doc_id = ? AND EXISTS"
                    + " (SELECT 1 FROM outbox o WHERE o.doc_id = k.doc_id AND o.seq = k.seq AND o.user_id = ?)")) {
                ps.setString(1, docId);
                ps.setString(2, userId);
                ps.executeUpdate(); // the entries' clocks first: no foreign key takes them along (schema 2)
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM outbox WHERE doc_id = ? AND user_id = ?")) {
                ps.setString(1, docId);
                ps.setString(2, userId);
                return ps.executeUpdate();
            }
        });
    }

    // ---- reading ----

    /** {@code userId}'s unsent entries of the document, oldest first; never another user's. */
    public List<OutboxEntry> pending(String docId, String userId) {
        checkId("document id", docId);
        checkId("user id", userId);
        return db.transaction("reading the unsent edits of document " + docId, c -> {
            Map<Long, List<ClockRange>> clocks = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT k.seq, k.client_id, k.clock_start, k.clock_end"
                    + " FROM outbox_clocks k JOIN outbox o ON o.doc_id = k.doc_id AND o.seq = k.seq"
                    + " WHERE o.doc_id = ? AND o.user_id = ?")) {
                ps.setString(1, docId);
                ps.setString(2, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        clocks.computeIfAbsent(rs.getLong(1), s -> new ArrayList<>())
                                .add(new ClockRange(rs.getLong(2), rs.getInt(3), rs.getInt(4)));
                    }
                }
            }
            List<OutboxEntry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, body, created_at FROM outbox"
                    + " WHERE doc_id = ? AND user_id = ? ORDER BY seq")) {
                ps.setString(1, docId);
                ps.setString(2, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long seq = rs.getLong(1);
                        out.add(new OutboxEntry(docId, seq, userId, rs.getBytes(2),
                                clocks.getOrDefault(seq, List.of()),
                                rs.getObject(3, OffsetDateTime.class).toInstant()));
                    }
                }
            }
            return out;
        });
    }

    /** {@code userId}'s unsent entries of the document merged into one update, or empty if there are none. */
    public Optional<MergedOutbox> mergedOutbox(String docId, String userId) {
        List<OutboxEntry> entries = pending(docId, userId);
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        List<byte[]> updates = entries.stream().map(OutboxEntry::update).toList();
        return Optional.of(new MergedOutbox(docId, userId, Updates.mergeUpdates(updates), entries.get(0).seq(),
                entries.get(entries.size() - 1).seq(), entries.size()));
    }

    /**
     * The document as stored: its state, the updates received, and the unsent edits of <i>every</i> user, as one Yjs
     * v1 update (an empty update for a document the store does not know).
     */
    public byte[] load(String docId) {
        checkId("document id", docId);
        List<byte[]> parts = db.transaction("loading document " + docId, c -> {
            List<byte[]> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM documents WHERE doc_id = ?")) {
                ps.setString(1, docId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBytes(1) != null) {
                        out.add(rs.getBytes(1));
                    }
                }
            }
            for (String sql : List.of("SELECT body FROM history WHERE doc_id = ? ORDER BY seq",
                    "SELECT body FROM outbox WHERE doc_id = ? ORDER BY seq")) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, docId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(rs.getBytes(1));
                        }
                    }
                }
            }
            return out;
        });
        return parts.isEmpty() ? EMPTY_UPDATE.clone() : Updates.mergeUpdates(parts);
    }

    /** When the document last synced and the server's state vector then, if it ever did. */
    public Optional<SyncMetadata> syncMetadata(String docId) {
        checkId("document id", docId);
        return db.transaction("reading the sync state of document " + docId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT last_synced_at, server_state_vector FROM documents WHERE doc_id = ?")) {
                ps.setString(1, docId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getObject(1) == null) {
                        return Optional.empty();
                    }
                    byte[] sv = rs.getBytes(2);
                    return Optional.of(new SyncMetadata(rs.getObject(1, OffsetDateTime.class).toInstant(),
                            sv == null ? new byte[] {0} : sv));
                }
            }
        });
    }

    /** Every document the store holds, by id. */
    public List<String> documents() {
        return db.transaction("listing documents", c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT doc_id FROM documents ORDER BY doc_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    /** How many of {@code userId}'s entries of one document wait to be sent (the status bar's "N edits"). */
    public int unsentCount(String docId, String userId) {
        checkId("document id", docId);
        checkId("user id", userId);
        return db.transaction("counting unsent edits of document " + docId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM outbox WHERE doc_id = ? AND user_id = ?")) {
                ps.setString(1, docId);
                ps.setString(2, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /** For each document with unsent edits of {@code userId}: how many entries wait. For "log out and lose them?". */
    public Map<String, Integer> unsentCounts(String userId) {
        checkId("user id", userId);
        return db.transaction("counting unsent edits", c -> {
            Map<String, Integer> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT doc_id, COUNT(*) FROM outbox WHERE user_id = ?"
                    + " GROUP BY doc_id ORDER BY doc_id")) {
                ps.setString(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getInt(2));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Writes {@code userId}'s unsent edits into {@code targetDir}, one Yjs v1 update file per document ({@code
     * <document>.yjs}, the name made safe), each written whole or not at all; returns the files. They can be applied
     * to the document later with any Yjs peer, e.g. {@code quire update apply}. The outbox is left as it was.
     */
    public List<Path> exportUnsent(String userId, Path targetDir) throws IOException {
        Files.createDirectories(targetDir);
        List<Path> files = new ArrayList<>();
        for (String docId : unsentCounts(userId).keySet()) {
            Optional<MergedOutbox> merged = mergedOutbox(docId, userId);
            if (merged.isEmpty()) {
                continue; // acknowledged meanwhile
            }
            Path file = targetDir.resolve(SafeNames.fileName(docId) + ".yjs");
            Path tmp = Files.createTempFile(targetDir, ".export-", ".tmp");
            try {
                Files.write(tmp, merged.get().update());
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            files.add(file);
        }
        return files;
    }

    // ---- compaction ----

    /**
     * Folds the document's history into its state on the background executor, then rewrites the file if it is
     * mostly dead space. The future completes when that is done (exceptionally with a {@link LocalStoreException}).
     */
    public CompletableFuture<Void> compact(String docId) {
        checkId("document id", docId);
        CompletableFuture<Void> done = new CompletableFuture<>();
        background.execute(() -> {
            try {
                compactNow(docId);
                compactFileIfSparse();
                done.complete(null);
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private void historyAdded(String docId, int rows) {
        if (rows <= 0) {
            return;
        }
        int since = sinceCompaction.computeIfAbsent(docId, d -> new AtomicInteger()).addAndGet(rows);
        if (since >= options.compactEvery() && compacting.add(docId)) {
            try {
                compact(docId).whenComplete((ok, e) -> {
                    compacting.remove(docId);
                    if (e != null) {
                        log.atWarn().addKeyValue("doc", docId).setCause(e).log("background compaction failed;"
                                + " it runs again after more edits");
                    }
                });
            } catch (RuntimeException e) { // the executor refused (shut down): the next open compacts
                compacting.remove(docId);
            }
        }
    }

    /** The state and history are read, merged outside the lock, and written back replacing exactly what was read. */
    private void compactNow(String docId) {
        record Snapshot(byte[] state, List<byte[]> history, long lastSeq) {
        }
        Snapshot s = db.transaction("reading document " + docId + " for compaction", c -> {
            byte[] state = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM documents WHERE doc_id = ?")) {
                ps.setString(1, docId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        state = rs.getBytes(1);
                    }
                }
            }
            List<byte[]> history = new ArrayList<>();
            long last = 0;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, body FROM history WHERE doc_id = ? ORDER BY seq")) {
                ps.setString(1, docId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        last = rs.getLong(1);
                        history.add(rs.getBytes(2));
                    }
                }
            }
            return new Snapshot(state, history, last);
        });
        afterCompactionRead.run();
        if (s.history().isEmpty()) {
            sinceCompaction.remove(docId);
            return;
        }
        Doc doc = new Doc(1, true);
        if (s.state() != null) {
            Updates.applyUpdate(doc, s.state());
        }
        for (byte[] update : s.history()) {
            Updates.applyUpdate(doc, update);
        }
        byte[] state = Updates.encodeStateAsUpdate(doc);
        // reset before the write: rows added from here on count towards the next compaction
        AtomicInteger counter = sinceCompaction.get(docId);
        if (counter != null) {
            counter.addAndGet(-s.history().size());
        }
        db.transaction("saving the compacted state of document " + docId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE documents SET state = ?, state_bytes = ? WHERE doc_id = ?")) {
                ps.setBytes(1, state);
                ps.setLong(2, state.length);
                ps.setString(3, docId);
                ps.executeUpdate();
            }
            // exactly the rows read: rows added since have higher numbers (see moveToHistory)
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM history WHERE doc_id = ? AND seq <= ?")) {
                ps.setString(1, docId);
                ps.setLong(2, s.lastSeq());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Rewrites the file when its size is far above the bytes it holds (see Database.compactFile). */
    private void compactFileIfSparse() {
        long live = db.transaction("measuring the local store", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT COALESCE(SUM(state_bytes), 0) FROM"
                    + " documents) + (SELECT COALESCE(SUM(OCTET_LENGTH(body)), 0) FROM history) + (SELECT"
                    + " COALESCE(SUM(OCTET_LENGTH(body)), 0) FROM outbox)");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        long size;
        try {
            size = Files.size(db.directory().resolve(Database.DATABASE_FILE));
        } catch (IOException e) {
            return; // nothing to measure; the next compaction looks again
        }
        if (size > options.minFileBytesToCompact() && size > options.fileSlackFactor() * live) {
            db.compactFile();
        }
    }

    /** At open: the history rows left from earlier runs count towards compaction. */
    private void countHistory() {
        Map<String, Integer> counts = db.transaction("counting history", c -> {
            Map<String, Integer> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT doc_id, COUNT(*) FROM history GROUP BY doc_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
            return out;
        });
        counts.forEach(this::historyAdded);
    }

    /** For tests: transactions committed so far. */
    long commitCount() {
        return db.commitCount();
    }

    /** For tests. */
    Database database() {
        return db;
    }

    /** Closes the database and releases the profile's lock. A compaction still running fails with CLOSED. */
    @Override
    public void close() {
        try {
            db.close();
        } finally {
            if (ownExecutor != null) {
                ownExecutor.shutdown();
            }
        }
    }

    // ---- helpers ----

    /** Entries (any user) whose clocks are all acknowledged, and the same user's earlier delete-only entries. */
    private static List<Long> coveredEntries(Connection c, String docId) throws SQLException {
        Map<Long, Long> acked = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT client_id, clock FROM acked_clocks WHERE doc_id = ?")) {
            ps.setString(1, docId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    acked.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        Set<Long> withClocks = new HashSet<>();
        Set<Long> uncovered = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT seq, client_id, clock_end FROM outbox_clocks WHERE doc_id = ?")) {
            ps.setString(1, docId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    withClocks.add(seq);
                    if (acked.getOrDefault(rs.getLong(2), 0L) < rs.getInt(3)) {
                        uncovered.add(seq);
                    }
                }
            }
        }
        record Row(long seq, String user) {
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, user_id FROM outbox WHERE doc_id = ? ORDER BY seq")) {
            ps.setString(1, docId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getString(2)));
                }
            }
        }
        // walking backwards: a delete-only entry is covered once a later entry of its user is
        Set<String> usersWithLaterCovered = new HashSet<>();
        List<Long> covered = new ArrayList<>();
        for (int i = rows.size() - 1; i >= 0; i--) {
            Row r = rows.get(i);
            boolean isCovered = withClocks.contains(r.seq())
                    ? !uncovered.contains(r.seq())
                    : usersWithLaterCovered.contains(r.user());
            if (isCovered) {
                covered.add(r.seq());
                usersWithLaterCovered.add(r.user());
            }
        }
        return covered;
    }

    /**
     * Moves outbox entries into the history as acknowledged, each under a new sequence number: a compaction that read
     * the history up to some number deletes exactly those rows, so a row added later must never get a lower one.
     */
    private static int moveToHistory(Connection c, String docId, List<Long> seqs) throws SQLException {
        if (seqs.isEmpty()) {
            return 0;
        }
        // Set-based, one run of adjacent outbox entries at a time: row by row, 10,000 acknowledged entries (a long
        // offline spell) took over a second (measured by `quire bench client`); as ranges they take a few statements.
        try (PreparedStatement copy = c.prepareStatement("INSERT INTO history (doc_id, seq, kind, body)"
                + " SELECT doc_id, NEXT VALUE FOR entry_seq, 'ACKED', body FROM outbox"
                + " WHERE doc_id = ? AND seq BETWEEN ? AND ? ORDER BY seq");
             PreparedStatement clocks = c.prepareStatement(
                     "DELETE FROM outbox_clocks WHERE doc_id = ? AND seq BETWEEN ? AND ?");
             PreparedStatement delete = c.prepareStatement(
                     "DELETE FROM outbox WHERE doc_id = ? AND seq BETWEEN ? AND ?")) {
            for (long[] run : runs(outboxSeqs(c, docId), new HashSet<>(seqs))) {
                for (PreparedStatement ps : List.of(copy, clocks, delete)) {
                    ps.setString(1, docId);
                    ps.setLong(2, run[0]);
                    ps.setLong(3, run[1]);
                    ps.executeUpdate();
                }
            }
        }
        return seqs.size();
    }

    /** The document's outbox entries, in order. */
    private static List<Long> outboxSeqs(Connection c, String docId) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM outbox WHERE doc_id = ? ORDER BY seq")) {
            ps.setString(1, docId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    /**
     * The chosen entries as [first, last] ranges of seq with no other outbox entry of the document inside: each range
     * can be moved with BETWEEN and touch nothing else. ({@code outbox} is in order.)
     */
    static List<long[]> runs(List<Long> outbox, Set<Long> chosen) {
        List<long[]> runs = new ArrayList<>();
        long[] open = null;
        for (long seq : outbox) {
            if (chosen.contains(seq)) {
                if (open == null) {
                    open = new long[] {seq, seq};
                    runs.add(open);
                } else {
                    open[1] = seq;
                }
            } else {
                open = null;
            }
        }
        return runs;
    }

    private static void ensureDocument(Connection c, String docId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO documents (doc_id, created_at) SELECT ?, ?"
                + " WHERE NOT EXISTS (SELECT 1 FROM documents WHERE doc_id = ?)")) {
            ps.setString(1, docId);
            ps.setObject(2, utc(now));
            ps.setString(3, docId);
            ps.executeUpdate();
        }
    }

    private static boolean documentExists(Connection c, String docId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM documents WHERE doc_id = ?")) {
            ps.setString(1, docId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static long nextSeq(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("VALUES NEXT VALUE FOR entry_seq");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The struct clocks an update carries (Yjs parseUpdateMeta); validates it on the way. */
    static List<ClockRange> clocksOf(byte[] update) {
        Updates.UpdateMeta meta;
        try {
            meta = Updates.parseUpdateMeta(update);
        } catch (UpdateFormatException e) {
            throw new IllegalArgumentException("not a Yjs v1 update: " + e.getMessage(), e);
        }
        List<ClockRange> out = new ArrayList<>();
        meta.to().forEach((client, to) -> {
            int from = meta.from().getOrDefault(client, 0);
            if (to > from) {
                out.add(new ClockRange(client, from, to));
            }
        });
        out.sort((a, b) -> Long.compare(a.clientId(), b.clientId()));
        return out;
    }

    static void checkId(String what, String id) {
        if (id == null || id.isEmpty() || id.length() > StoreSchema.MAX_ID_LENGTH) {
            throw new IllegalArgumentException("a " + what + " must have 1 to " + StoreSchema.MAX_ID_LENGTH
                    + " characters");
        }
    }

    static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
