package dev.quire.session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The refresh token in a file of the profile, for machines without a credential store. The file is created
 * owner-only (rw-------) before a byte is written, so the token is never readable by others even for a moment, and is
 * replaced by an atomic rename of a synced temporary file: a crash leaves the old token or the new one.
 */
final class FileVault implements RefreshTokenVault {
    static final String FILE_NAME = "refresh-token";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path file;
    private final boolean posix;

    FileVault(Path file) {
        this.file = file.toAbsolutePath();
        this.posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                && file.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    @Override
    public synchronized Optional<String> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            if (posix && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                // Someone widened it (a copy, a backup restore): narrow it again before reading.
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        } catch (IOException e) {
            throw new VaultException("cannot read the refresh token file " + file + ": " + e.getClass().getSimpleName(),
                    e);
        }
    }

    @Override
    public synchronized void store(String refreshToken) {
        Path dir = file.getParent();
        Path tmp = null;
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, attributes(OWNER_ONLY_DIR));
            }
            tmp = Files.createTempFile(dir, "." + FILE_NAME, ".tmp", attributes(OWNER_ONLY));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(refreshToken.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new VaultException("cannot store the refresh token in " + file + ": " + e.getClass().getSimpleName(),
                    e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file is owner-only; a leftover is harmless and replaced next time
                }
            }
        }
    }

    @Override
    public synchronized void clear() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new VaultException("cannot delete the refresh token file " + file + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private FileAttribute<?>[] attributes(Set<PosixFilePermission> permissions) {
        // Without POSIX permissions (Windows) the profile lives in the user's own AppData folder, whose ACL is
        // already the user's only.
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }

    @Override
    public String toString() {
        return "FileVault[" + file + "]";
    }
}
