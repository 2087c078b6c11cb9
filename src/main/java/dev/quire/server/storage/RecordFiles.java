package dev.quire.server.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the journal's segments and the document logs share as append-only files of {@link UpdateRecord}s. */
final class RecordFiles {
    private static final Logger log = LoggerFactory.getLogger(RecordFiles.class);

    private RecordFiles() {
    }

    /** Whether the file is all zeros from {@code from} on: it grew, but what was written never reached it. */
    static boolean allZero(byte[] bytes, int from) {
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
