package dev.quire.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A small file holding secrets (password hashes, private keys) that several processes share: the server reads it,
 * {@code ./quire server user add} or {@code keys rotate} rewrite it while the server runs.
 *
 * <ul>
 *   <li>Writes are atomic: a temp file in the same directory, forced to disk, then moved over the old one, so a reader
 *       sees the old content or the new, never half of it, and a crash mid-write leaves the old file.</li>
 *   <li>Owner-only ({@code 0600}) where the file system is POSIX: the temp file is created with those permissions, so
 *       the content is never readable by others, not even for a moment.</li>
 *   <li>Read-modify-write cycles of different processes are serialized by an OS file lock on {@code NAME.lock} (and of
 *       threads of this process by a lock here, since a JVM cannot take its own file lock twice).</li>
 *   <li>{@link #changedSince} tells a reader when to re-read: the file's modification time, size and identity (the
 *       atomic move gives it a new inode), so a rewrite within one timestamp tick is still noticed.</li>
 * </ul>
 */
final class PrivateFile {
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** What a reader saw when it last read the file; compared to notice a rewrite. */
    record Stamp(long modifiedNanos, long size, Object fileKey) {
        static final Stamp ABSENT = new Stamp(-1, -1, null);
    }

    @FunctionalInterface
    interface Update {
        /** The new content, given the current one (empty if the file does not exist yet). */
        String apply(Optional<String> current);
    }

    private final Path file;
    private final Path lockFile;
    private final ReentrantLock threadLock = new ReentrantLock();

    PrivateFile(Path file) {
        this.file = Objects.requireNonNull(file).toAbsolutePath().normalize();
        this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
    }

    Path path() {
        return file;
    }

    /** The current stamp, {@link Stamp#ABSENT} if there is no file. */
    Stamp stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000_000L
                    + a.lastModifiedTime().toInstant().getNano(), a.size(), a.fileKey());
        } catch (NoSuchFileException e) {
            return Stamp.ABSENT;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the attributes of " + file + ": " + e.getMessage(), e);
        }
    }

    boolean changedSince(Stamp seen) {
        return !stamp().equals(seen);
    }

    /** The content and the stamp it was read at; empty if there is no file. */
    Optional<Read> read() {
        // Stamp first: if the file changes between the two calls, the next changedSince sees it and reads again.
        Stamp stamp = stamp();
        try {
            return Optional.of(new Read(Files.readString(file, StandardCharsets.UTF_8), stamp));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    record Read(String content, Stamp stamp) {
        @Override
        public String toString() {
            return "Read[" + content.length() + " chars]"; // the content holds secrets
        }
    }

    /**
     * Reads the current content, computes the new one and writes it atomically, all under the cross-process lock.
     *
     * @return the stamp of the file as written
     */
    Stamp update(Update update) {
        threadLock.lock();
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock ignored = lockChannel.lock()) {
                Optional<String> current = read().map(Read::content);
                write(update.apply(current));
                return stamp();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            threadLock.unlock();
        }
    }

    private void write(String content) throws IOException {
        Path dir = file.getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attrs);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            if (posix) {
                // A file created by hand with wider permissions is narrowed on our first write.
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public String toString() {
        return "PrivateFile[" + file + "]";
    }
}
