package dev.quire.server.storage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which stored update added which clocks: each update row carries its ranges ({@code updates.clocks}), and the
 * {@code update_clocks} table, keyed by (document, client, clock) for "who wrote this item", is filled from them in
 * bulk, up to {@code documents.indexed_seq}.
 *
 * <p>Why in bulk: the table's key scatters one fold's rows over one B-tree page per client, and H2 rewrites every
 * changed page at each commit; filled once per many folds, the same pages are rewritten once for hundreds of rows.
 * Whoever looks a writer up indexes the document's backlog first ({@link #index}), so lookups never miss.
 */
final class ClockIndex {
    /** The background indexes once this many folded updates wait, or {@link #MAX_DELAY_NANOS} after the first. */
    static final int BACKLOG = 8192;
    static final long MAX_DELAY_NANOS = 10_000_000_000L;

    private ClockIndex() {
    }

    static byte[] encode(List<ClockRange> ranges) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4 + 16 * ranges.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(ranges.size());
            for (ClockRange r : ranges) {
                out.writeLong(r.clientId());
                out.writeInt(r.start());
                out.writeInt(r.end());
            }
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        return bytes.toByteArray();
    }

    static List<ClockRange> decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int n = in.readInt();
            List<ClockRange> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new ClockRange(in.readLong(), in.readInt(), in.readInt()));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw new StorageException(StorageException.Reason.CORRUPT, "stored clock ranges do not read back ("
                    + e.getMessage() + "); restore the data directory from a backup", e);
        }
    }

    /** Indexes every document's backlog (the background's job). Returns how many updates it indexed. */
    static int indexAll(Connection c) throws SQLException {
        List<String> docs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM documents WHERE indexed_seq < last_seq")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    docs.add(rs.getString(1));
                }
            }
        }
        int indexed = 0;
        for (String doc : docs) {
            indexed += index(c, doc);
        }
        return indexed;
    }

    /** Indexes one document's backlog, so that {@code update_clocks} covers all its stored updates. */
    static int index(Connection c, String docId) throws SQLException {
        long from;
        try (PreparedStatement ps = c.prepareStatement("SELECT indexed_seq FROM documents WHERE id = ?")) {
            ps.setString(1, docId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return 0;
                }
                from = rs.getLong(1);
            }
        }
        Map<Long, byte[]> backlog = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT seq, clocks FROM updates WHERE doc_id = ? AND seq > ? ORDER BY seq")) {
            ps.setString(1, docId);
            ps.setLong(2, from);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    backlog.put(rs.getLong(1), rs.getBytes(2));
                }
            }
        }
        if (backlog.isEmpty()) {
            return 0;
        }
        long last = from;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO update_clocks (doc_id, seq, client_id,"
                + " clock_start, clock_end) VALUES (?, ?, ?, ?, ?)")) {
            for (Map.Entry<Long, byte[]> e : backlog.entrySet()) {
                last = e.getKey();
                if (e.getValue() == null) {
                    continue; // stored before migration 4, indexed then
                }
                for (ClockRange r : decode(e.getValue())) {
                    ps.setString(1, docId);
                    ps.setLong(2, e.getKey());
                    ps.setLong(3, r.clientId());
                    ps.setInt(4, r.start());
                    ps.setInt(5, r.end());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE documents SET indexed_seq = ? WHERE id = ?")) {
            ps.setLong(1, last);
            ps.setString(2, docId);
            ps.executeUpdate();
        }
        return backlog.size();
    }
}
