package dev.quire.server.storage;

import dev.quire.server.storage.UpdateJournal.Entry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The byte form of one stored update with its attribution, as both the {@link UpdateJournal} and the {@link
 * DocumentLogs} write it: {@code [int length][int CRC32C of the payload][payload]}. Sharing it lets a journaled record
 * be copied into its document's log as it is, without decoding and encoding it again.
 *
 * <p>The payload starts with a format byte: {@link #WITH_BODY}, or {@link #WITHOUT_BODY} for an update whose bytes
 * were folded into the document's snapshot (compaction): its attribution stays, its bytes are gone, and only their
 * length is kept.
 */
final class UpdateRecord {
    /** No record is longer: an update is at most the sync server's 16 MiB frame, plus ids and clock ranges. */
    static final int MAX_LENGTH = 64 << 20;
    private static final byte WITH_BODY = 1;
    private static final byte WITHOUT_BODY = 2;

    private UpdateRecord() {
    }

    /**
     * A record read back. {@code entry.update()} is empty when {@code bodyDropped}; {@code byteLength} is the
     * update's length as received either way.
     */
    record Decoded(Entry entry, int byteLength, boolean bodyDropped) {
    }

    static byte[] encode(Entry e) {
        return encode(e, false, e.update().length);
    }

    /**
     * The record of {@code e} without its update's bytes, whose length was {@code byteLength} (compaction keeps who
     * wrote what, not the bytes).
     */
    static byte[] encodeWithoutBody(Entry e, int byteLength) {
        return encode(e, true, byteLength);
    }

    private static byte[] encode(Entry e, boolean dropBody, int byteLength) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + (dropBody ? 0 : e.update().length));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0); // length and checksum, filled in below
            out.writeInt(0);
            out.writeByte(dropBody ? WITHOUT_BODY : WITH_BODY);
            out.writeUTF(e.docId());
            out.writeLong(e.seq());
            out.writeUTF(e.userId());
            out.writeUTF(e.connectionId());
            out.writeLong(e.serverTime().getEpochSecond());
            out.writeInt(e.serverTime().getNano());
            out.writeInt(e.added().size());
            for (ClockRange r : e.added()) {
                out.writeLong(r.clientId());
                out.writeInt(r.start());
                out.writeInt(r.end());
            }
            out.writeInt(e.boundClients().size());
            for (long c : e.boundClients()) {
                out.writeLong(c);
            }
            out.writeInt(byteLength);
            if (!dropBody) {
                out.write(e.update());
            }
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible); // a ByteArrayOutputStream does not fail
        }
        byte[] record = bytes.toByteArray();
        int length = record.length - 8;
        CRC32C crc = new CRC32C();
        crc.update(record, 8, length);
        ByteBuffer.wrap(record).putInt(length).putInt((int) crc.getValue());
        return record;
    }

    /** Whether the checksum of the payload at {@code offset} matches {@code crc}. */
    static boolean checksumMatches(byte[] bytes, int offset, int length, int crc) {
        CRC32C check = new CRC32C();
        check.update(bytes, offset, length);
        return (int) check.getValue() == crc;
    }

    /** Decodes the payload at {@code offset} (its checksum already checked). */
    static Decoded decode(byte[] bytes, int offset, int length) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, offset, length));
        int format = in.readUnsignedByte();
        if (format != WITH_BODY && format != WITHOUT_BODY) {
            throw new IOException("unknown record format " + format);
        }
        String docId = in.readUTF();
        long seq = in.readLong();
        String userId = in.readUTF();
        String connectionId = in.readUTF();
        Instant time = Instant.ofEpochSecond(in.readLong(), in.readInt());
        int ranges = in.readInt();
        List<ClockRange> added = new ArrayList<>(Math.min(ranges, 1024));
        for (int i = 0; i < ranges; i++) {
            added.add(new ClockRange(in.readLong(), in.readInt(), in.readInt()));
        }
        int bound = in.readInt();
        List<Long> clients = new ArrayList<>(Math.min(bound, 1024));
        for (int i = 0; i < bound; i++) {
            clients.add(in.readLong());
        }
        int updateLength = in.readInt();
        boolean dropped = format == WITHOUT_BODY;
        if (updateLength < 0 || (!dropped && updateLength > in.available())) {
            throw new IOException("an update length of " + updateLength + " does not fit the record");
        }
        byte[] update = dropped ? new byte[0] : in.readNBytes(updateLength);
        if (in.available() != 0) {
            throw new IOException(in.available() + " bytes left over");
        }
        return new Decoded(new Entry(docId, seq, userId, connectionId, time, List.copyOf(added),
                List.copyOf(clients), update), updateLength, dropped);
    }
}
