package dev.quire.server.storage;

import dev.quire.server.storage.UpdateJournal.Entry;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the update rows that Quire stored in the database before it had {@link DocumentLogs} (the tables {@code
 * updates} and {@code update_clocks} of schema 1 to 4) into the documents' logs, once, when a data directory written
 * by such a version is opened.
 *
 * <p>Crash-safe by order: each log is written whole ({@link DocumentLogs#rewrite}) from the rows, and the rows are
 * deleted only after every log is written; a crash in between leaves the rows, and the next start writes the logs
 * from them again. The server serves nothing before this is done, so no log has anything the rows do not.
 */
final class LegacyUpdateRows {
    private static final Logger log = LoggerFactory.getLogger(LegacyUpdateRows.class);

    private LegacyUpdateRows() {
    }

    static void moveToLogs(H2Database db, DocumentLogs logs) {
        List<String> docs = db.transaction("looking for update rows to move into the document logs", false,
                c -> Rows.list(c, "SELECT DISTINCT doc_id FROM updates", rs -> rs.getString(1)));
        if (docs.isEmpty()) {
            return;
        }
        long moved = 0;
        for (String docId : docs) {
            List<byte[]> records = db.transaction("reading the update rows of document " + docId, false,
                    c -> records(c, docId));
            logs.rewrite(docId, records);
            moved += records.size();
        }
        db.transaction("deleting the update rows moved into the document logs", true, c -> {
            try (var st = c.createStatement()) {
                st.executeUpdate("DELETE FROM update_clocks");
                st.executeUpdate("DELETE FROM updates");
            }
            return null;
        });
        log.info("event=update_rows_moved documents={} updates={} note=\"updates now live in one log file per"
                + " document (logs/ in the data directory)\"", docs.size(), moved);
    }

    private static List<byte[]> records(Connection c, String docId) throws SQLException {
        // rows stored before schema migration 4 keep their clock ranges only in update_clocks
        Map<Long, List<ClockRange>> indexed = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, client_id, clock_start, clock_end"
                + " FROM update_clocks WHERE doc_id = ? ORDER BY seq, client_id")) {
            ps.setString(1, docId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    indexed.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new ClockRange(rs.getLong(2), rs.getInt(3), rs.getInt(4)));
                }
            }
        }
        List<byte[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, user_id, connection_id, server_time, byte_length,"
                + " body, clocks FROM updates WHERE doc_id = ? ORDER BY seq")) {
            ps.setString(1, docId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    byte[] body = rs.getBytes(6);
                    byte[] clocks = rs.getBytes(7);
                    List<ClockRange> added = clocks != null ? decodeClocks(docId, seq, clocks)
                            : indexed.getOrDefault(seq, List.of());
                    // client id bindings of these updates stay in the client_ids table, where rebuilds read them
                    Entry e = new Entry(docId, seq, rs.getString(2), rs.getString(3),
                            rs.getObject(4, OffsetDateTime.class).toInstant(), added, List.of(),
                            body == null ? new byte[0] : body);
                    out.add(body == null ? UpdateRecord.encodeWithoutBody(e, rs.getInt(5)) : UpdateRecord.encode(e));
                }
            }
        }
        return out;
    }

    /** The {@code updates.clocks} column of schema 4: {@code [int n]}, n × {@code [long client][int start][int end]}. */
    private static List<ClockRange> decodeClocks(String docId, long seq, byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int n = in.readInt();
            List<ClockRange> out = new ArrayList<>(Math.min(n, 1024));
            for (int i = 0; i < n; i++) {
                out.add(new ClockRange(in.readLong(), in.readInt(), in.readInt()));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw new StorageException(StorageException.Reason.CORRUPT, "the clock ranges of update " + seq
                    + " of document " + docId + " do not read back (" + e.getMessage()
                    + "); restore the data directory from a backup", e);
        }
    }
}
