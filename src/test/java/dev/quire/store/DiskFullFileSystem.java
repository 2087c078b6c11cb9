package dev.quire.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * An H2 file system ({@code storediskfull:} prefix) over the real one whose writes fail with the error Linux gives
 * for a full disk while {@link #full} is set; modelled on H2's own test file system FilePathUnstable, as the server's
 * storage tests are. Its own scheme, not theirs: H2 keeps one file system per scheme in a JVM, and each has its own
 * switch. A fault, not a fake disk: everything else goes to real files. Public with a public constructor because H2
 * creates a path object per file by reflection.
 */
public final class DiskFullFileSystem extends FilePathWrapper {
    static final String PREFIX = "storediskfull:";
    private static final DiskFullFileSystem INSTANCE = new DiskFullFileSystem();
    static volatile boolean full;

    public DiskFullFileSystem() {
    }

    static void register() {
        FilePath.register(INSTANCE);
    }

    @Override
    public String getScheme() {
        return "storediskfull";
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
            check();
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
