package dev.quire.server.auth;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users in a plain file ({@code --users FILE}, default {@code DATA/users}), one line per user:
 * <pre>{@code id:name:passwordHash[:disabled]}</pre>
 * Lines starting with {@code #} and blank lines are ignored. A plain file because an operator can read, back up and
 * edit it with ordinary tools, and {@code ./quire server user add NAME} can change it while the server runs: every
 * lookup first checks whether the file changed (one {@code stat}) and re-reads it if so. Writes are atomic and the
 * file is owner-only ({@link PrivateFile}).
 *
 * <p>A file that cannot be parsed is refused when the directory is opened; if it becomes unparseable later (a bad
 * hand edit), the last good version stays in use and a warning names the line, so logins keep working.
 */
public final class FileUserDirectory implements UserDirectory {
    private static final Logger log = LoggerFactory.getLogger(FileUserDirectory.class);
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final String HEADER = "# Quire users: id:name:passwordHash[:disabled]. Edit with ./quire server user.\n";

    /** One parsed line. */
    private record Entry(User user, String passwordHash) {
        @Override
        public String toString() {
            return user.toString(); // never the hash
        }
    }

    /** An immutable view of the file as last read. */
    private record Snapshot(Map<String, Entry> byId, Map<String, Entry> byName) {
    }

    private final PrivateFile file;
    private final SecureRandom random;
    private final WatchedFile<Snapshot> snapshot;

    /**
     * Opens the users file, which need not exist yet (then there are no users until one is added).
     *
     * @throws IllegalStateException if the file exists but cannot be parsed (the message names the line)
     */
    public FileUserDirectory(Path path, SecureRandom random) {
        this.file = new PrivateFile(path);
        this.random = Objects.requireNonNull(random);
        this.snapshot = new WatchedFile<>(file, this::snapshot,
                s -> log.info("users file {} changed; {} users now", file.path(), s.byId().size()),
                (kept, e) -> log.warn("users file {} changed but cannot be read, keeping the previous {} users: {}",
                        file.path(), kept.byId().size(), e.getMessage()));
    }

    public Path path() {
        return file.path();
    }

    @Override
    public Optional<User> byId(String id) {
        return Optional.ofNullable(current().byId().get(id)).map(Entry::user);
    }

    @Override
    public Optional<User> byName(String name) {
        return Optional.ofNullable(current().byName().get(name)).map(Entry::user);
    }

    @Override
    public Optional<String> passwordHash(String id) {
        return Optional.ofNullable(current().byId().get(id)).map(Entry::passwordHash);
    }

    @Override
    public List<User> list() {
        return current().byId().values().stream().map(Entry::user).toList();
    }

    @Override
    public User add(String name, String passwordHash) {
        if (!User.isValidName(name)) {
            throw new IllegalArgumentException("a user name is 1 to 64 of A-Z a-z 0-9 . _ -");
        }
        requireHash(passwordHash);
        User[] added = new User[1];
        modify(users -> {
            if (users.values().stream().anyMatch(e -> e.user().name().equals(name))) {
                throw new IllegalArgumentException("there is already a user named " + name);
            }
            String id;
            do {
                id = newId();
            } while (users.containsKey(id));
            added[0] = new User(id, name, false);
            users.put(id, new Entry(added[0], passwordHash));
            return users;
        });
        return added[0];
    }

    @Override
    public boolean setPasswordHash(String id, String passwordHash) {
        requireHash(passwordHash);
        return change(id, e -> new Entry(e.user(), passwordHash));
    }

    @Override
    public boolean setDisabled(String id, boolean disabled) {
        return change(id, e -> new Entry(new User(e.user().id(), e.user().name(), disabled), e.passwordHash()));
    }

    @Override
    public boolean delete(String id) {
        boolean[] found = {false};
        modify(users -> {
            found[0] = users.remove(id) != null;
            return users;
        });
        return found[0];
    }

    private boolean change(String id, UnaryOperator<Entry> how) {
        boolean[] found = {false};
        modify(users -> {
            Entry e = users.get(id);
            if (e != null) {
                found[0] = true;
                users.put(id, how.apply(e));
            }
            return users;
        });
        return found[0];
    }

    /** Read-modify-write of the file under its lock, from what is on disk now (another process may have written). */
    private synchronized void modify(UnaryOperator<LinkedHashMap<String, Entry>> how) {
        PrivateFile.Stamp stamp = file.update(current -> {
            LinkedHashMap<String, Entry> users = new LinkedHashMap<>(parse(current.orElse("")));
            return format(how.apply(users).values());
        });
        // Re-read instead of trusting our own rendering: cheap, and it keeps one code path.
        if (!snapshot.reload().equals(stamp)) {
            log.debug("users file {} changed again right after our write", file.path());
        }
    }

    private Snapshot current() {
        return snapshot.get();
    }

    private Snapshot snapshot(Optional<String> content) {
        Map<String, Entry> byId = content.isPresent() ? parse(content.get()) : new LinkedHashMap<>();
        Map<String, Entry> byName = new LinkedHashMap<>();
        for (Entry e : byId.values()) {
            byName.put(e.user().name(), e);
        }
        return new Snapshot(Collections.unmodifiableMap(byId), Collections.unmodifiableMap(byName));
    }

    private LinkedHashMap<String, Entry> parse(String content) {
        LinkedHashMap<String, Entry> users = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        List<String> lines = content.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            // Messages name the line number, never its content: it holds a password hash.
            String where = file.path() + " line " + (i + 1);
            String[] f = line.split(":", -1);
            if (f.length < 3 || f.length > 4 || (f.length == 4 && !f[3].equals("disabled"))) {
                throw new IllegalStateException(where + ": expected id:name:passwordHash[:disabled]");
            }
            if (!User.ID.matcher(f[0]).matches()) {
                throw new IllegalStateException(where + ": the id is not valid");
            }
            if (!User.isValidName(f[1])) {
                throw new IllegalStateException(where + ": the name is not valid (1 to 64 of A-Z a-z 0-9 . _ -)");
            }
            if (!PasswordHasher.isWellFormed(f[2])) {
                throw new IllegalStateException(where + ": the password hash is not in pbkdf2-sha256$ form");
            }
            if (users.containsKey(f[0]) || names.containsKey(f[1])) {
                throw new IllegalStateException(where + ": duplicate id or name");
            }
            users.put(f[0], new Entry(new User(f[0], f[1], f.length == 4), f[2]));
            names.put(f[1], f[0]);
        }
        return users;
    }

    private static String format(Iterable<Entry> entries) {
        StringBuilder sb = new StringBuilder(HEADER);
        for (Entry e : entries) {
            sb.append(e.user().id()).append(':').append(e.user().name()).append(':').append(e.passwordHash());
            if (e.user().disabled()) {
                sb.append(":disabled");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void requireHash(String passwordHash) {
        if (!PasswordHasher.isWellFormed(passwordHash)) {
            throw new IllegalArgumentException("the password hash is not in PasswordHasher's encoded form");
        }
    }

    /** {@code u_} and 100 random bits in base32: unguessable enough to never collide, short enough to read. */
    private String newId() {
        byte[] bytes = new byte[13];
        random.nextBytes(bytes);
        StringBuilder sb = new StringBuilder("u_");
        long buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5 && sb.length() < 22) {
                sb.append(BASE32[(int) (buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "FileUserDirectory[" + file.path() + "]";
    }
}
