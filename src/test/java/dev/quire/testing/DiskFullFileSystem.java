package dev.quire.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * An H2 file system ({@code diskfull:} prefix) over the real one whose writes fail with the error Linux gives for a
 * full disk while {@link #full} is set; modelled on H2's own test file system FilePathUnstable. A fault, not a fake
 * disk: everything else goes to real files. Shared by the server's storage tests and the client store's tests (one
 * scheme, one switch: H2 keeps one file system per scheme in a JVM, and tests do not run in parallel).
 * Public with a public constructor because H2 creates a path object per
 * file by reflection.
 */
public final class DiskFullFileSystem extends FilePathWrapper {
    public static final String PREFIX = "diskfull:";
    private static final DiskFullFileSystem INSTANCE = new DiskFullFileSystem();
    /** While set, every write fails as on a full disk. */
    public static volatile boolean full;

    public DiskFullFileSystem() {
    }

    /** Makes the {@link #PREFIX} scheme known to H2 (idempotent). */
    public static void register() {
        FilePath.register(INSTANCE);
    }

    @Override
    public String getScheme() {
        return "diskfull";
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new Channel(super.open(mode));
    }

    private static void check() throws IOException {
        if (full) {
            throw new IOException("No space left on device");
        }
    }

    private static final class Channel extends FileBase {
        private final FileChannel base;

        Channel(FileChannel base) {
            this.base = base;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return base.read(dst);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return base.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            check();
            return base.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            check();
            return base.write(src, position);
        }

        @Override
        public long position() throws IOException {
            return base.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            base.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return base.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            if (size > base.size()) {
                check(); // growing a file needs space; shrinking one frees it, and works on a full disk too
            }
            base.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            check();
            base.force(metaData);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return base.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            base.close();
        }
    }
}
