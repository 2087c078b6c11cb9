package dev.quire.server.storage;

import dev.quire.crdt.StateVector;
import dev.quire.crdt.UpdateFormatException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the server keeps documents: metadata, a durable and attributed log of Yjs updates, and snapshots that the
 * log is folded into. Implementations are thread-safe; operations on one document are applied one at a time, in the
 * order they take effect.
 *
 * <p>Failures: {@link NoSuchDocumentException} for an unknown or deleted document id, {@link InvalidUpdateException}
 * for an update the document core cannot apply, {@link StorageException} when storage itself fails. In every case
 * nothing of the failed operation is stored.
 */
public interface DocumentStore extends AutoCloseable {

    /** The longest title a document may have, in UTF-16 chars (the column is VARCHAR(1000)). */
    int MAX_TITLE_LENGTH = 1000;

    // ---- documents ----

    /** Creates an empty document with a new random id. */
    default DocumentInfo createDocument(String workspaceId, String ownerUserId, String title) {
        return createDocument(java.util.UUID.randomUUID().toString(), workspaceId, ownerUserId, title);
    }

    /**
     * Creates an empty document with the given id, or, if a document has that id already, returns it unchanged (the
     * caller tells a retried create from someone else's id by its owner).
     */
    DocumentInfo createDocument(String docId, String workspaceId, String ownerUserId, String title);

    Optional<DocumentInfo> document(String docId);

    /** The documents of a workspace, oldest first. */
    List<DocumentInfo> documents(String workspaceId);

    DocumentInfo renameDocument(String docId, String title);

    /** Deletes a document with its log, snapshot and history; false if there was no such document. */
    boolean deleteDocument(String docId);

    // ---- content ----

    /**
     * Validates a Yjs v1 update against the document's current state, stores it with who sent it, and returns once
     * the commit is durable (as {@link Durability} says): only then may the server acknowledge it.
     *
     * <p>An update that adds nothing the document does not already have (a re-sent one) is not stored: the result's
     * {@code seq} is 0 and its state vector still says what is durable. An update whose content waits for updates
     * that have not arrived (Yjs "pending" structs) is stored, and becomes visible in the state vector once they
     * arrive; its clocks are then attributed to the update that completed them.
     *
     * @param connectionId the server's id for the connection the update arrived on
     * @param serverTime   when the server received it
     * <p>Each Yjs client id is bound, per document, to the first user whose update brings content under it; an update
     * from another user that brings new content under a bound client id is refused (content the document already has
     * and deletions are not checked, see {@link ClientIdTakenException}).
     *
     * @throws InvalidUpdateException if the update is malformed or cannot be applied (nothing stored)
     * @throws ClientIdTakenException if it brings new content under another user's client id (nothing stored)
     */
    Appended appendUpdate(String docId, byte[] update, String userId, String connectionId, Instant serverTime);

    /**
     * Keeps the document ready in memory until the returned handle is closed: the sync server holds one per open
     * document, so that however many are open none is rebuilt from storage on each update.
     */
    Pinned pin(String docId);

    /** A document kept in memory by {@link #pin}; closing releases it (once, however often it is called). */
    interface Pinned extends AutoCloseable {
        @Override
        void close();
    }

    /** The whole document as one Yjs v1 update: the snapshot with every update stored after it. */
    byte[] loadState(String docId);

    /**
     * What the document holds, as a state vector: everything stored so far (an update is visible here only once
     * {@link #appendUpdate} has stored it).
     */
    StateVector stateVector(String docId);

    /**
     * What the document has beyond {@code encodedStateVector}, as one Yjs v1 update (the answer to a sync step 1),
     * including content that waits for updates not yet received.
     *
     * @throws UpdateFormatException if the state vector is malformed
     */
    byte[] missingFrom(String docId, byte[] encodedStateVector);

    // ---- history and attribution ----

    /** Stored updates with sequence numbers above {@code afterSeq}, oldest first, at most {@code limit} of them. */
    List<HistoryEntry> history(String docId, long afterSeq, int limit);

    /** Every stored update, oldest first. */
    default List<HistoryEntry> history(String docId) {
        return history(docId, 0, Integer.MAX_VALUE);
    }

    /**
     * The stored update that added the item {@code (clientId, clock)} to the document, whose user wrote it (or, for
     * content relayed by another client, whose connection delivered it first); empty if the document has no such
     * item.
     */
    Optional<HistoryEntry> writerOf(String docId, long clientId, int clock);

    // ---- compaction ----

    /**
     * Folds every logged update into the snapshot. The document's state and its history entries (with their
     * attribution) are unchanged; the updates' own bytes are dropped.
     */
    Compaction compact(String docId);

    LogStats logStats(String docId);

    /** Closes the store; committed updates are already durable, so closing is not needed for durability. */
    @Override
    void close();
}
