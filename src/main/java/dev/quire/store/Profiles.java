package dev.quire.store;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where profiles live, and which ones exist. The root is, first found: an explicit directory ({@code --data DIR}),
 * the {@code QUIRE_HOME} environment variable, or the platform's folder for application data: {@code
 * $XDG_DATA_HOME/quire} or {@code ~/.local/share/quire} on Linux and other Unixes (XDG Base Directory
 * Specification, which also says a relative {@code XDG_DATA_HOME} is to be ignored), {@code %APPDATA%\Quire} on
 * Windows, {@code ~/Library/Application Support/Quire} on macOS.
 *
 * <p>Each profile is a directory {@code profiles/<host>-<user>-<hash>} under the root: a readable part cleaned down to
 * {@code [a-z0-9._-]} and a hash of the normalized server URL and the user id, so a hostile URL or user name cannot
 * reach outside the root, and two profiles never share a directory. A {@code profile.properties} in it says whose it
 * is; {@code last-profile} in the root remembers the one used last.
 */
public final class Profiles {
    static final String PROFILES_DIR = "profiles";
    static final String PROFILE_FILE = "profile.properties";
    static final String LAST_FILE = "last-profile";

    private final Path root;

    private Profiles(Path root) {
        this.root = root;
    }

    /**
     * The profiles under the root chosen as the class comment says.
     *
     * @param explicitDir {@code --data DIR}, or null
     * @param environment the process environment ({@code System.getenv()}), a parameter so tests can pass their own
     */
    public static Profiles locate(Path explicitDir, Map<String, String> environment) {
        return new Profiles(root(explicitDir, environment, System.getProperty("os.name", ""),
                Path.of(System.getProperty("user.home"))));
    }

    /** The profiles under exactly {@code root}. */
    public static Profiles at(Path root) {
        return new Profiles(root.toAbsolutePath().normalize());
    }

    static Path root(Path explicitDir, Map<String, String> env, String osName, Path userHome) {
        if (explicitDir != null) {
            return explicitDir.toAbsolutePath().normalize();
        }
        String quireHome = env.get("QUIRE_HOME");
        if (quireHome != null && !quireHome.isBlank()) {
            return Path.of(quireHome).toAbsolutePath().normalize();
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String appData = env.get("APPDATA");
            Path base = appData != null && !appData.isBlank() ? Path.of(appData)
                    : userHome.resolve("AppData").resolve("Roaming");
            return base.resolve("Quire");
        }
        if (os.startsWith("mac")) {
            return userHome.resolve("Library").resolve("Application Support").resolve("Quire");
        }
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg).resolve("quire");
        }
        return userHome.resolve(".local").resolve("share").resolve("quire");
    }

    private static final String SERVERS_DIR = "servers";

    public Path root() {
        return root;
    }

    /**
     * The profile of {@code userId} on {@code server}: its directory is computed, not created (see {@link #create}).
     *
     * @throws IllegalArgumentException if the URL is not an absolute http(s) URL without user info, query or fragment
     */
    public Profile profile(URI server, String userId) {
        URI normalized = normalize(server);
        if (userId == null || userId.isEmpty()) {
            throw new IllegalArgumentException("a profile needs a user id");
        }
        String name = hostPart(normalized) + "-" + SafeNames.clean(userId) + "-"
                + SafeNames.hash(normalized.toString(), userId);
        return new Profile(normalized, userId, root.resolve(PROFILES_DIR).resolve(name));
    }

    /** Creates the profile's directory and records whose it is; returns the profile. Idempotent. */
    public Profile create(URI server, String userId) throws IOException {
        Profile p = profile(server, userId);
        Files.createDirectories(p.directory());
        Properties props = new Properties();
        props.setProperty("server", p.server().toString());
        props.setProperty("user", p.userId());
        writeAtomically(p.directory().resolve(PROFILE_FILE), w -> props.store(w, "Quire profile"));
        return p;
    }

    /**
     * Where the client keeps {@code server}'s discovery document, so that the app starts (and opens its cached
     * documents) without the network; not created here.
     */
    public Path serverDescription(URI server) {
        URI normalized = normalize(server);
        String name = hostPart(normalized) + "-" + SafeNames.hash(normalized.toString());
        return root.resolve(SERVERS_DIR).resolve(name + ".json");
    }

    /** The readable start of a file name for a server: host and port, made safe. */
    private static String hostPart(URI normalized) {
        return SafeNames.clean(normalized.getHost() + (normalized.getPort() == -1 ? "" : "_" + normalized.getPort()));
    }

    /** Writes {@code text} to {@code file} whole or not at all (a temporary file renamed over it). */
    public static void writeWhole(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        writeAtomically(file, w -> w.write(text));
    }

    /** The profiles that exist under the root, by directory name; directories that are not a valid profile are skipped. */
    public List<Profile> list() throws IOException {
        Path dir = root.resolve(PROFILES_DIR);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Profile> out = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path child : children) {
                read(child).ifPresent(out::add);
            }
        }
        out.sort(Comparator.comparing(p -> p.directory().getFileName().toString()));
        return out;
    }

    /** Remembers {@code profile} as the one used last. */
    public void rememberLast(Profile profile) throws IOException {
        Files.createDirectories(root);
        String name = profile.directory().getFileName().toString();
        writeAtomically(root.resolve(LAST_FILE), w -> w.write(name + "\n"));
    }

    /** The profile used last, if it was remembered and still exists. */
    public Optional<Profile> last() throws IOException {
        String name;
        try {
            name = Files.readString(root.resolve(LAST_FILE), StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        // only a name this class made: a hand-edited "../elsewhere" is not followed
        // (not "equals its clean()": clean() also shortens, and a profile's name is longer than one cleaned part)
        if (!SafeNames.isClean(name) || name.length() > 200) {
            return Optional.empty();
        }
        return read(root.resolve(PROFILES_DIR).resolve(name));
    }

    /** A profile directory's record, if it exists and its name is the one its server and user give. */
    private Optional<Profile> read(Path dir) throws IOException {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve(PROFILE_FILE), StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String server = props.getProperty("server");
        String user = props.getProperty("user");
        if (server == null || user == null) {
            return Optional.empty();
        }
        try {
            Profile p = profile(new URI(server), user);
            return p.directory().equals(dir.toAbsolutePath().normalize()) ? Optional.of(p) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The form of a server URL that names a profile: scheme and host in lower case, no default port, no trailing
     * slash. User info, query and fragment are refused (a password in a URL must not end up in a file name or a
     * profile record).
     */
    public static URI normalize(URI server) {
        String scheme = server.getScheme() == null ? "" : server.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("a server URL starts with http:// or https://");
        }
        if (server.getHost() == null || server.getHost().isEmpty()) {
            throw new IllegalArgumentException("a server URL needs a host name");
        }
        if (server.getRawUserInfo() != null || server.getRawQuery() != null || server.getRawFragment() != null) {
            throw new IllegalArgumentException("a server URL must not carry user info, a query or a fragment");
        }
        int port = server.getPort();
        if ((scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443)) {
            port = -1;
        }
        String path = server.getRawPath() == null ? "" : server.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        try {
            return new URI(scheme + "://" + server.getHost().toLowerCase(Locale.ROOT) + (port == -1 ? "" : ":" + port)
                    + path);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid server URL: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface WriterBody {
        void write(Writer w) throws IOException;
    }

    private static void writeAtomically(Path file, WriterBody body) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                body.write(w);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
