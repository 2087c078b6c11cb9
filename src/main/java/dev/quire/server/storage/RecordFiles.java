package dev.quire.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.LongFunction;
import org.h2.store.fs.FilePath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the journal's segments and the document logs share as append-only files of {@link UpdateRecord}s. */
final class RecordFiles {
    private static final Logger log = LoggerFactory.getLogger(RecordFiles.class);

    private RecordFiles() {
    }

    /** A record {@link #parse} found: header at {@code at}, payload ({@code length} bytes) at {@code offset}. */
    interface RecordVisitor {
        void record(int at, int offset, int length) throws IOException;
    }

    /** Makes the error for damage found at a byte offset of the file being read. */
    interface Damage {
        StorageException at(int offset, String why);
    }

    /** The whole file; {@code tooLong} makes the error for one longer than an array can hold. */
    static byte[] readAll(FilePath file, LongFunction<StorageException> tooLong) throws IOException {
        try (FileChannel ch = file.open("r")) {
            long length = ch.size();
            if (length > Integer.MAX_VALUE) {
                throw tooLong.apply(length);
            }
            ByteBuffer buf = ByteBuffer.allocate((int) length);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read it all
            }
            return buf.array();
        }
    }

    /**
     * Checks the header and hands each record's payload to {@code each}, in order. Returns where the whole records
     * end: the file's length, or where a torn tail starts.
     *
     * <p>A torn tail is what a crash during the last write leaves, and only the last file of a kind can have one
     * ({@code last}): a header cut short, a record longer than what is left, a zero-filled end (the file grew, but
     * the record never reached it), or a last record whose checksum fails. In any other file those are damage, as
     * are an impossible length and a bad checksum with more after it. Damage, and an exception from {@code each}
     * other than a {@link StorageException}, become {@code damage}'s error; a {@link StorageException} from {@code
     * each} passes through.
     *
     * @param notOurs why the file is refused when it does not start with {@code magic}
     */
    static int parse(byte[] bytes, byte[] magic, String notOurs, boolean last, RecordVisitor each, Damage damage) {
        if (!Arrays.equals(bytes, 0, magic.length, magic, 0, magic.length)) {
            throw damage.at(0, notOurs);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.position(magic.length);
        while (in.hasRemaining()) {
            int at = in.position();
            if (in.remaining() < 8) {
                return tornTail(at, last, damage);
            }
            int length = in.getInt();
            int crc = in.getInt();
            if (length <= 0 || length > UpdateRecord.MAX_LENGTH) {
                if (last && allZero(bytes, at)) {
                    return at;
                }
                throw damage.at(at, "a record claims to be " + length + " bytes long");
            }
            if (length > in.remaining()) {
                return tornTail(at, last, damage);
            }
            if (!UpdateRecord.checksumMatches(bytes, in.position(), length, crc)) {
                if (last && in.position() + length == bytes.length) {
                    return at; // the last record, partly written when the power went
                }
                throw damage.at(at, "a record's checksum does not match its bytes");
            }
            try {
                each.record(at, in.position(), length);
            } catch (StorageException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw damage.at(at, "a record does not decode (" + e.getMessage() + ")");
            }
            in.position(in.position() + length);
        }
        return bytes.length;
    }

    private static int tornTail(int at, boolean last, Damage damage) {
        if (!last) {
            throw damage.at(at, "it ends in the middle of a record, but later segments follow it");
        }
        return at;
    }

    /** Writes all of {@code buf} at {@code at}; returns where it ends. */
    static long writeFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
        while (buf.hasRemaining()) {
            at += ch.write(buf, at);
        }
        return at;
    }

    /** Whether the file is all zeros from {@code from} on: it grew, but what was written never reached it. */
    private static boolean allZero(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Forces a directory, so that the names of files created or renamed in it survive a power loss. */
    static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException e) {
            // Not every platform can open a directory (Windows cannot); there, creating a file is durable enough
            log.debug("event=dir_force_skipped dir={} reason=\"{}\"", dir, e.toString());
        }
    }
}
