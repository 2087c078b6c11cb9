package dev.quire.server.storage;

import dev.quire.crdt.Doc;
import dev.quire.crdt.StateVector;
import dev.quire.crdt.UpdateFormatException;
import dev.quire.crdt.Updates;
import dev.quire.server.storage.LiveDocuments.Live;
import dev.quire.server.storage.UpdateJournal.Entry;
import dev.quire.server.storage.UpdateRecord.Decoded;
import java.nio.file.Path;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DocumentStore} with each document's updates in a log file of its own ({@link DocumentLogs}) and everything
 * else (metadata, compacted snapshots) in an embedded H2 database, the file {@code quire.mv.db} in the data directory
 * (see {@link H2Database} for the connection and the durability settings, {@link Schema} for the tables).
 *
 * <p>Each document is kept live in memory too ({@link LiveDocuments}): an update is applied to it first, which both
 * validates the update against the document's current state and tells which clocks it adds, and only then stored.
 * Threads: operations on one document hold its lock from validation to commit; the database lock is taken inside
 * it, never the other way round.
 *
 * <p>Updates go to the {@link UpdateJournal} first (durable when the append returns) and into their documents' logs
 * in batches ({@link JournalFolder}); whatever reads a log folds the pending ones first (ADRs 0007, 0011).
 *
 * <p>Client id bindings (which user each Yjs client id belongs to, per document) are checked against the live
 * document's copy of them before an update is applied, and new ones travel in the update's journal record.
 */
public final class H2DocumentStore implements DocumentStore {
    private static final Logger log = LoggerFactory.getLogger(H2DocumentStore.class);

    /**
     * @param durability      what an acknowledged update survives
     * @param cachedDocuments how many documents to keep in memory for validating updates (others are rebuilt from the
     *                        database on use)
     * @param clock           for document creation and rename times
     * @param compactAfter    a document is compacted in the background once its log holds this many updates beyond
     *                        its snapshot (0: never by itself), so that rebuilding it stays quick and its log small
     * @param compactor       runs those compactions; null: a thread of the store's own
     */
    public record Options(Durability durability, int cachedDocuments, Clock clock, int compactAfter,
                          Executor compactor) {
        /** 10,000 updates: a rebuild applies at most about that many, and the log's bytes are dropped as often. */
        public static final int COMPACT_AFTER = 10_000;

        public Options {
            if (cachedDocuments < 1) {
                throw new IllegalArgumentException("cachedDocuments must be at least 1: " + cachedDocuments);
            }
            if (compactAfter < 0) {
                throw new IllegalArgumentException("compactAfter must not be negative: " + compactAfter);
            }
        }

        public static Options defaults() {
            return new Options(Durability.PROCESS_CRASH, 64, Clock.systemUTC(), COMPACT_AFTER, null);
        }

        public Options withDurability(Durability d) {
            return new Options(d, cachedDocuments, clock, compactAfter, compactor);
        }

        public Options withCachedDocuments(int n) {
            return new Options(durability, n, clock, compactAfter, compactor);
        }

        public Options withClock(Clock c) {
            return new Options(durability, cachedDocuments, c, compactAfter, compactor);
        }

        public Options withCompaction(int after, Executor on) {
            return new Options(durability, cachedDocuments, clock, after, on);
        }
    }

    /** Opens (creating if needed) the store in {@code dataDir}. */
    public static H2DocumentStore open(Path dataDir) {
        return open(dataDir, Options.defaults());
    }

    public static H2DocumentStore open(Path dataDir, Options options) {
        return open("file:", "", dataDir, options);
    }

    /** For tests: a journal whose segments end after {@code journalSegmentBytes}. */
    static H2DocumentStore open(Path dataDir, Options options, long journalSegmentBytes) {
        return open("file:", "", dataDir, options, journalSegmentBytes);
    }

    /** For tests: how many database transactions have folded journaled updates. */
    long journalFolds() {
        return journal.foldCount();
    }

    /** For tests: moves by one each time the database file is written. */
    long storedVersion() {
        return db.storedVersion();
    }

    /** For tests: {@code fileSystem} and {@code moreSettings} as {@link H2Database#open} takes them. */
    static H2DocumentStore open(String fileSystem, String moreSettings, Path dataDir, Options options) {
        return open(fileSystem, moreSettings, dataDir, options, UpdateJournal.SEGMENT_BYTES);
    }

    private static H2DocumentStore open(String fileSystem, String moreSettings, Path dataDir, Options options,
                                        long journalSegmentBytes) {
        LiveDocuments live = new LiveDocuments(options.cachedDocuments());
        H2Database db = H2Database.open(fileSystem, moreSettings, dataDir, options.durability(), live::clear);
        try {
            return over(fileSystem, db, live, options, journalSegmentBytes);
        } catch (RuntimeException | Error e) {
            db.close();
            throw e;
        }
    }

    /** The document store in an open database, with its journal ({@link UpdateJournal}), recovered first. */
    static H2DocumentStore over(String fileSystem, H2Database db, LiveDocuments live, Options options) {
        return over(fileSystem, db, live, options, UpdateJournal.SEGMENT_BYTES);
    }

    static H2DocumentStore over(String fileSystem, H2Database db, LiveDocuments live, Options options,
                                long journalSegmentBytes) {
        DocumentLogs logs = DocumentLogs.open(fileSystem, db.dataDir());
        try {
            LegacyUpdateRows.moveToLogs(db, logs);
            UpdateJournal journal = UpdateJournal.open(fileSystem, db.dataDir(), options.durability(),
                    journalSegmentBytes, entries -> JournalFolder.replay(db, logs, entries), () -> {
                        logs.force();
                        db.forceToDevice();
                    });
            return new H2DocumentStore(db, new JournalFolder(journal, logs, db, options.durability()), logs, live,
                    options);
        } catch (RuntimeException | Error e) {
            logs.close();
            throw e;
        }
    }

    private final H2Database db;
    /** Takes updates first; the logs get them in batches. Flushed before anything reads a log. */
    private final JournalFolder journal;
    private final DocumentLogs logs;
    private final LiveDocuments live;
    private final Clock clock;
    private final int compactAfter;
    /** The compactor's thread when the store made its own (closed with the store), else null. */
    private final ExecutorService ownCompactor;
    private final Executor compactor;
    /** One compaction at a time: the snapshot each stores must be newer than the last one's. */
    private final ReentrantLock compacting = new ReentrantLock();

    private H2DocumentStore(H2Database db, JournalFolder journal, DocumentLogs logs, LiveDocuments live,
                            Options options) {
        this.db = db;
        this.journal = journal;
        this.logs = logs;
        this.live = live;
        this.clock = options.clock();
        this.compactAfter = options.compactAfter();
        this.ownCompactor = options.compactor() != null ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "quire-compaction");
            t.setDaemon(true);
            return t;
        });
        this.compactor = options.compactor() != null ? options.compactor() : ownCompactor;
    }

    // ---- documents ----

    @Override
    public DocumentInfo createDocument(String docId, String workspaceId, String ownerUserId, String title) {
        requireId("document id", docId);
        requireId("workspace id", workspaceId);
        requireId("owner user id", ownerUserId);
        requireTitle(title);
        Instant now = clock.instant();
        DocumentInfo doc = new DocumentInfo(docId, workspaceId, ownerUserId, title, now, now);
        return db.transaction("creating a document in workspace " + workspaceId, true, c -> {
            Optional<DocumentInfo> existing = findDocument(c, docId); // one connection: nobody inserts in between
            if (existing.isPresent()) {
                return existing.get();
            }
            logs.delete(docId); // left by a crash while a document with this id was being deleted
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO documents (id, workspace_id, owner_user_id,"
                    + " title, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, doc.id());
                ps.setString(2, workspaceId);
                ps.setString(3, ownerUserId);
                ps.setString(4, title);
                ps.setObject(5, utc(now));
                ps.setObject(6, utc(now));
                ps.executeUpdate();
            }
            return doc;
        });
    }

    @Override
    public Optional<DocumentInfo> document(String docId) {
        requireId("document id", docId);
        journal.flush(); // updated_at moves with the updates folded
        return db.transaction("reading document " + docId, false, c -> findDocument(c, docId));
    }

    @Override
    public List<DocumentInfo> documents(String workspaceId) {
        requireId("workspace id", workspaceId);
        journal.flush();
        return db.transaction("listing the documents of workspace " + workspaceId, false, c -> {
            return Rows.list(c, "SELECT " + DOC_COLUMNS + " FROM documents WHERE workspace_id = ? ORDER BY created_at, id",
                    H2DocumentStore::documentInfo, workspaceId);
        });
    }

    @Override
    public DocumentInfo renameDocument(String docId, String title) {
        requireId("document id", docId);
        requireTitle(title);
        Instant now = clock.instant();
        return db.transaction("renaming document " + docId, true, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE documents SET title = ?, updated_at = ? WHERE id = ?")) {
                ps.setString(1, title);
                ps.setObject(2, utc(now));
                ps.setString(3, docId);
                if (ps.executeUpdate() == 0) {
                    throw new NoSuchDocumentException(docId);
                }
            }
            return findDocument(c, docId).orElseThrow();
        });
    }

    @Override
    public boolean deleteDocument(String docId) {
        requireId("document id", docId);
        ReentrantLock lock = live.lockFor(docId);
        lock.lock();
        try {
            journal.flush(); // so that no update of it is folded after the delete (folding would drop it anyway)
            boolean deleted = db.transaction("deleting document " + docId, true, c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM documents WHERE id = ?")) {
                    ps.setString(1, docId);
                    return ps.executeUpdate() > 0;
                }
            });
            live.evict(docId);
            logs.delete(docId); // after the row: a crash in between leaves a file that nothing reads
            return deleted;
        } finally {
            lock.unlock();
        }
    }

    // ---- content ----

    @Override
    public Appended appendUpdate(String docId, byte[] update, String userId, String connectionId,
                                 Instant serverTime) {
        requireId("document id", docId);
        requireId("user id", userId);
        requireId("connection id", connectionId);
        if (update == null || serverTime == null) {
            throw new NullPointerException("update and serverTime are required");
        }
        ReentrantLock lock = live.lockFor(docId);
        Appended appended;
        boolean compactionDue;
        lock.lock();
        try {
            Live current = live(docId);
            StateVector before = current.doc.stateVector();
            boolean pendingBefore = current.doc.hasPending();
            // Checked before applying, so a refused update leaves the live document as it was.
            List<Long> newClients = unboundClients(docId, current, update, before, pendingBefore, userId);
            boolean[] changed = {false};
            Runnable stopListening = current.doc.onUpdate((u, origin, t) -> changed[0] = true);
            try {
                Updates.applyUpdate(current.doc, update);
            } catch (UpdateFormatException e) {
                throw new InvalidUpdateException(docId, update.length, e); // the document is unchanged
            } catch (RuntimeException | Error e) {
                live.evict(docId); // the document core failed half-way: rebuild it from what is stored
                if (e instanceof RuntimeException re) {
                    throw new InvalidUpdateException(docId, update.length, re);
                }
                throw e;
            } finally {
                stopListening.run();
            }
            StateVector after = current.doc.stateVector();
            if (!changed[0] && !pendingBefore && !current.doc.hasPending()) {
                return new Appended(0, after); // nothing new: everything in it is stored already
            }
            List<ClockRange> added = added(before, after);
            long seq = current.lastSeq + 1;
            try {
                // durable once journaled; its log gets it in the background (JournalFolder)
                journal.append(new UpdateJournal.Entry(docId, seq, userId, connectionId, serverTime, added,
                        List.copyOf(newClients), update));
            } catch (RuntimeException e) {
                live.evict(docId); // the live document is ahead of what is stored now
                throw e;
            }
            current.lastSeq = seq;
            for (long client : newClients) {
                current.clientOwners.put(client, userId);
            }
            current.sinceSnapshot++;
            // every compactAfter updates, so that a compaction that failed is tried again later
            compactionDue = compactAfter > 0 && current.sinceSnapshot % compactAfter == 0;
            appended = new Appended(seq, after);
        } finally {
            lock.unlock();
        }
        if (compactionDue) {
            compactInBackground(docId);
        }
        return appended;
    }

    private void compactInBackground(String docId) {
        try {
            compactor.execute(() -> {
                try {
                    Compaction done = compact(docId);
                    if (done.foldedUpdates() > 0) {
                        log.info("event=document_compacted doc={} updates={} log_bytes={} snapshot_bytes={}", docId,
                                done.foldedUpdates(), done.logBytesBefore(), done.snapshotBytes());
                    }
                } catch (NoSuchDocumentException gone) {
                    // deleted meanwhile: nothing to compact
                } catch (RuntimeException e) {
                    // the log stays as it is, and whole; the next update past the threshold tries again
                    log.warn("event=document_compaction_failed doc={} error=\"{}\"", docId, e.getMessage());
                }
            });
        } catch (RejectedExecutionException closing) {
            log.debug("event=document_compaction_skipped doc={} reason=closing", docId);
        }
    }

    /**
     * Enforces the client id binding of issue 5 ("a Yjs client id is bound to the first user who writes with it")
     * and returns the client ids this update binds to {@code userId}.
     *
     * <p>The clients checked are those for which the update carries clocks the document does not have yet, neither
     * integrated nor waiting (pending). Content the server already has, re-sent or relayed by another user's client,
     * is not checked; deletions are not either (any writer may delete any text). Why not the clocks the update
     * <em>adds</em> to the state vector: an update can complete content that waited for it, and that content is not
     * its sender's; and waiting content would otherwise go unchecked until it is completed.
     *
     * @throws ClientIdTakenException if a client id with new content is bound to another user
     */
    private static List<Long> unboundClients(String docId, Live current, byte[] update, StateVector before,
                                             boolean pending, String userId) {
        Updates.UpdateMeta carried;
        try {
            carried = Updates.parseUpdateMeta(update);
        } catch (RuntimeException e) {
            throw new InvalidUpdateException(docId, update.length, e);
        }
        Map<Long, Integer> waiting = pending ? waitingClocks(current.doc, before) : Map.of();
        List<Long> unbound = new ArrayList<>();
        for (Map.Entry<Long, Integer> e : carried.to().entrySet()) {
            long client = e.getKey();
            int known = Math.max(before.get(client), waiting.getOrDefault(client, 0));
            if (e.getValue() <= known) {
                continue;
            }
            String owner = current.clientOwners.get(client);
            if (owner == null) {
                unbound.add(client);
            } else if (!owner.equals(userId)) {
                throw new ClientIdTakenException(docId, client);
            }
        }
        unbound.sort(Long::compare);
        return unbound;
    }

    /** The end clocks of the content waiting in the document (pending structs), by client id. Rarely needed. */
    private static Map<Long, Integer> waitingClocks(Doc doc, StateVector state) {
        // what the document has beyond its own state vector is exactly what waits (encodeStateAsUpdate adds it)
        return Updates.parseUpdateMeta(Updates.encodeStateAsUpdate(doc, state.encode())).to();
    }

    /** The clocks that became part of the document: the growth of its state vector, by client id. */
    private static List<ClockRange> added(StateVector before, StateVector after) {
        List<ClockRange> out = new ArrayList<>();
        for (Map.Entry<Long, Integer> e : after.asMap().entrySet()) {
            int from = before.get(e.getKey());
            if (e.getValue() > from) {
                out.add(new ClockRange(e.getKey(), from, e.getValue()));
            }
        }
        out.sort((a, b) -> Long.compare(a.clientId(), b.clientId()));
        return out;
    }

    @Override
    public byte[] loadState(String docId) {
        requireId("document id", docId);
        ReentrantLock lock = live.lockFor(docId);
        lock.lock();
        try {
            return Updates.encodeStateAsUpdate(live(docId).doc);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Pinned pin(String docId) {
        requireId("document id", docId);
        return live.pin(docId)::run;
    }

    @Override
    public StateVector stateVector(String docId) {
        requireId("document id", docId);
        ReentrantLock lock = live.lockFor(docId);
        lock.lock();
        try {
            return live(docId).doc.stateVector();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public byte[] missingFrom(String docId, byte[] encodedStateVector) {
        requireId("document id", docId);
        ReentrantLock lock = live.lockFor(docId);
        lock.lock();
        try {
            return Updates.encodeStateAsUpdate(live(docId).doc, encodedStateVector);
        } finally {
            lock.unlock();
        }
    }

    /** The live document, rebuilt from snapshot + log on a cache miss. The caller holds the document's lock. */
    private Live live(String docId) {
        return live.get(docId, () -> {
            journal.flush(); // the log must have every update of the document before it is rebuilt from it
            return rebuild(docId);
        });
    }

    private Live rebuild(String docId) {
        record Stored(byte[] snapshot, long snapshotSeq, Map<Long, String> owners) {
        }
        Stored stored = db.transaction("loading document " + docId, false, c -> {
            byte[] snapshot;
            long snapshotSeq;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT snapshot, snapshot_seq FROM documents WHERE id = ?")) {
                ps.setString(1, docId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new NoSuchDocumentException(docId);
                    }
                    snapshot = rs.getBytes(1);
                    snapshotSeq = rs.getLong(2);
                }
            }
            // bindings made before the logs held them (schema 2 to 4); later ones travel in the log's records
            Map<Long, String> owners = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT client_id, user_id FROM client_ids WHERE doc_id = ?")) {
                ps.setString(1, docId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        owners.put(rs.getLong(1), rs.getString(2));
                    }
                }
            }
            return new Stored(snapshot, snapshotSeq, owners);
        });
        // The server never edits a document itself, so this Doc's own client id is never written with.
        Doc doc = new Doc();
        if (stored.snapshot() != null) {
            applyStored(doc, docId, "its snapshot (up to seq " + stored.snapshotSeq() + ")", stored.snapshot());
        }
        long lastSeq = stored.snapshotSeq();
        int sinceSnapshot = 0;
        for (Decoded d : logs.read(docId)) {
            Entry e = d.entry();
            if (e.seq() > stored.snapshotSeq()) {
                applyStored(doc, docId, "update seq " + e.seq(), d.bodyDropped() ? null : e.update());
                sinceSnapshot++;
            }
            for (long client : e.boundClients()) {
                stored.owners().putIfAbsent(client, e.userId());
            }
            lastSeq = Math.max(lastSeq, e.seq());
        }
        Live rebuilt = new Live(doc, lastSeq, stored.owners());
        rebuilt.sinceSnapshot = sinceSnapshot;
        return rebuilt;
    }

    private static void applyStored(Doc doc, String docId, String what, byte[] update) {
        try {
            if (update == null) {
                throw new IllegalStateException("its bytes are missing");
            }
            Updates.applyUpdate(doc, update);
        } catch (RuntimeException e) {
            throw new StorageException(StorageException.Reason.CORRUPT, "document " + docId + " cannot be loaded: " + what
                    + " does not apply (" + e.getMessage() + "); restore the data directory from a backup", e);
        }
    }

    // ---- history and attribution ----

    @Override
    public List<HistoryEntry> history(String docId, long afterSeq, int limit) {
        requireId("document id", docId);
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        List<HistoryEntry> out = new ArrayList<>();
        for (Decoded d : records(docId, "reading the history of document " + docId)) {
            if (out.size() == limit) {
                break;
            }
            if (d.entry().seq() > afterSeq) {
                out.add(historyEntry(d));
            }
        }
        return out;
    }

    @Override
    public Optional<HistoryEntry> writerOf(String docId, long clientId, int clock) {
        requireId("document id", docId);
        for (Decoded d : records(docId, "looking up who wrote " + clientId + ":" + clock + " in document " + docId)) {
            for (ClockRange r : d.entry().added()) {
                if (r.clientId() == clientId && r.start() <= clock && clock < r.end()) {
                    return Optional.of(historyEntry(d));
                }
            }
        }
        return Optional.empty();
    }

    /** A document's log, everything journaled included. */
    private List<Decoded> records(String docId, String what) {
        journal.flush();
        db.transaction(what, false, c -> {
            requireDocument(c, docId);
            return null;
        });
        return logs.read(docId);
    }

    private static HistoryEntry historyEntry(Decoded d) {
        Entry e = d.entry();
        return new HistoryEntry(e.seq(), e.userId(), e.connectionId(), e.serverTime(), d.byteLength(), e.added(),
                d.bodyDropped());
    }

    // ---- compaction ----

    /**
     * The document's state up to its last stored update goes into the snapshot (in the database), then its log drops
     * the bytes of the updates up to there. Only the first part holds the document's lock (appends wait for it no
     * longer than a snapshot takes to encode); one compaction runs at a time.
     */
    @Override
    public Compaction compact(String docId) {
        requireId("document id", docId);
        compacting.lock();
        try {
            LogStats stats;
            byte[] snapshot;
            ReentrantLock lock = live.lockFor(docId);
            lock.lock();
            try {
                Live current = live(docId);
                journal.flush(); // the snapshot replaces the log up to its last seq: it must be this one's
                stats = stats(docId, logs.read(docId));
                if (stats.logUpdates() == 0) {
                    return new Compaction(0, 0, stats.snapshotBytes());
                }
                snapshot = Updates.encodeStateAsUpdate(current.doc); // includes content still waiting (pending)
                current.sinceSnapshot = 0;
            } finally {
                lock.unlock();
            }
            long upTo = stats.lastSeq();
            db.transaction("compacting document " + docId, true, c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE documents SET snapshot = ?, snapshot_seq = ? WHERE id = ?")) {
                    ps.setBytes(1, snapshot);
                    ps.setLong(2, upTo);
                    ps.setString(3, docId);
                    if (ps.executeUpdate() == 0) {
                        throw new NoSuchDocumentException(docId); // deleted meanwhile
                    }
                }
                return null;
            });
            // Only now that the snapshot is stored may the updates' bytes go; a crash in between leaves both, and a
            // rebuild applies the snapshot and what comes after it. Updates appended meanwhile keep theirs.
            logs.dropBodies(docId, upTo);
            return new Compaction((int) stats.logUpdates(), stats.logBytes(), snapshot.length);
        } finally {
            compacting.unlock();
        }
    }

    @Override
    public LogStats logStats(String docId) {
        requireId("document id", docId);
        journal.flush();
        return stats(docId, logs.read(docId)); // stats() finds out whether the document exists
    }

    private LogStats stats(String docId, List<Decoded> records) {
        long[] snapshot = db.transaction("reading the snapshot of document " + docId, false, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT snapshot_seq, COALESCE(OCTET_LENGTH(snapshot), 0) FROM documents WHERE id = ?")) {
                ps.setString(1, docId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new NoSuchDocumentException(docId);
                    }
                    return new long[] {rs.getLong(1), rs.getLong(2)};
                }
            }
        });
        long snapshotSeq = snapshot[0];
        long lastSeq = snapshotSeq;
        long updates = 0;
        long bytes = 0;
        for (Decoded d : records) {
            lastSeq = Math.max(lastSeq, d.entry().seq());
            if (d.entry().seq() > snapshotSeq) {
                updates++;
                bytes += d.byteLength();
            }
        }
        return new LogStats(lastSeq, snapshotSeq, snapshot[1], updates, bytes);
    }

    @Override
    public void close() {
        if (ownCompactor != null) {
            ownCompactor.shutdown();
            try {
                ownCompactor.awaitTermination(30, TimeUnit.SECONDS); // a compaction under way finishes first
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        live.clear();
        try {
            journal.close();
        } finally {
            db.close();
        }
    }

    // ---- rows ----

    static final String DOC_COLUMNS = "id, workspace_id, owner_user_id, title, created_at, updated_at";

    private static Optional<DocumentInfo> findDocument(Connection c, String docId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + DOC_COLUMNS + " FROM documents WHERE id = ?")) {
            ps.setString(1, docId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(documentInfo(rs)) : Optional.empty();
            }
        }
    }

    static void requireDocument(Connection c, String docId) throws SQLException {
        if (!documentExists(c, docId)) {
            throw new NoSuchDocumentException(docId);
        }
    }

    static boolean documentExists(Connection c, String docId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM documents WHERE id = ?")) {
            ps.setString(1, docId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Reads the {@link #DOC_COLUMNS}, which must be the first columns of the row. */
    static DocumentInfo documentInfo(ResultSet rs) throws SQLException {
        return new DocumentInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getObject(6, OffsetDateTime.class).toInstant());
    }

    static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    static void requireId(String what, String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
        if (id.length() > Schema.MAX_ID_LENGTH) {
            throw new IllegalArgumentException(what + " is longer than " + Schema.MAX_ID_LENGTH + " characters");
        }
    }

    private static void requireTitle(String title) {
        if (title == null) {
            throw new IllegalArgumentException("a title is required (it may be empty)");
        }
        if (title.length() > Schema.MAX_TITLE_LENGTH) {
            throw new IllegalArgumentException("a title is at most " + Schema.MAX_TITLE_LENGTH + " characters");
        }
    }
}
