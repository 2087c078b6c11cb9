package dev.quire.store;

import dev.quire.store.ListChange.Kind;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The document list's changes made offline (create, rename, delete), in the profile's store beside the outbox: each
 * is committed before the call returns, and leaves only once the server has made it (or refused it). Offline, the
 * list shows them over the one kept from the server.
 */
public final class ListChangeQueue {
    private final Database db;
    private final Clock clock;

    ListChangeQueue(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Queues a change of {@code userId}'s and returns it, committed. */
    public ListChange add(String userId, Kind kind, String docId, String workspaceId, String title) {
        LocalStore.checkId("user id", userId);
        LocalStore.checkId(kind.ofWorkspace() ? "workspace id" : "document id", docId);
        if ((kind == Kind.DELETE) != (title == null)) {
            throw new IllegalArgumentException(kind + " " + (title == null ? "needs a title" : "takes no title"));
        }
        Instant now = clock.instant();
        return db.transaction("queuing a change of the document list", c -> {
            long seq = LocalStore.nextSeq(c);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO list_changes (seq, user_id, kind, doc_id,"
                    + " workspace_id, title, created_at, subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, seq);
                ps.setString(2, userId);
                ps.setString(3, storedKind(kind));
                ps.setString(4, docId);
                ps.setString(5, workspaceId);
                ps.setString(6, title);
                ps.setObject(7, LocalStore.utc(now));
                ps.setString(8, subjectOf(kind));
                ps.executeUpdate();
            }
            return new ListChange(seq, userId, kind, docId, workspaceId, title, now);
        });
    }

    /** {@code userId}'s queued changes, oldest first; never another user's. */
    public List<ListChange> pending(String userId) {
        LocalStore.checkId("user id", userId);
        return db.transaction("reading the queued changes of the document list", c -> {
            List<ListChange> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, kind, doc_id, workspace_id, title, created_at,"
                    + " subject FROM list_changes WHERE user_id = ? ORDER BY seq")) {
                ps.setString(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Kind kind = kindOf(rs.getString(2), rs.getString(7));
                        out.add(new ListChange(rs.getLong(1), userId, kind, rs.getString(3),
                                rs.getString(4), rs.getString(5),
                                rs.getObject(6, OffsetDateTime.class).toInstant()));
                    }
                }
            }
            return out;
        });
    }

    /** The kind column keeps the values of schema 3; the subject column tells workspace changes apart. */
    private static String storedKind(Kind kind) {
        return switch (kind) {
            case CREATE, CREATE_WORKSPACE -> "CREATE";
            case RENAME, RENAME_WORKSPACE -> "RENAME";
            case DELETE -> "DELETE";
        };
    }

    private static String subjectOf(Kind kind) {
        return kind.ofWorkspace() ? "WORKSPACE" : "DOCUMENT";
    }

    /** The kind stored as these two columns: the inverse of {@link #storedKind} and {@link #subjectOf}. */
    private static Kind kindOf(String stored, String subject) {
        for (Kind k : Kind.values()) {
            if (storedKind(k).equals(stored) && subjectOf(k).equals(subject)) {
                return k;
            }
        }
        throw new IllegalStateException("a queued list change of unknown kind " + stored + " " + subject);
    }

    /** The server made (or refused) the change: it leaves the queue. */
    public void remove(ListChange change) {
        db.transaction("removing a sent change of the document list", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM list_changes WHERE seq = ?")) {
                ps.setLong(1, change.seq());
                return ps.executeUpdate();
            }
        });
    }
}
