package dev.quire.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilesTest {
    private static final Path HOME = Path.of("/home/ann");

    @TempDir
    Path dir;

    @Test
    void theRootIsTheExplicitDirThenQuireHomeThenThePlatformFolder() {
        Map<String, String> env = Map.of("QUIRE_HOME", "/srv/quire", "XDG_DATA_HOME", "/data");
        assertEquals(Path.of("/opt/q"), Profiles.root(Path.of("/opt/q"), env, "Linux", HOME));
        assertEquals(Path.of("/srv/quire"), Profiles.root(null, env, "Linux", HOME));
        assertEquals(Path.of("/data/quire"), Profiles.root(null, Map.of("XDG_DATA_HOME", "/data"), "Linux", HOME));
        assertEquals(HOME.resolve(".local/share/quire"), Profiles.root(null, Map.of(), "Linux", HOME));
        assertEquals(HOME.resolve(".local/share/quire"),
                Profiles.root(null, Map.of("XDG_DATA_HOME", "relative/dir"), "Linux", HOME),
                "the XDG spec says to ignore a relative XDG_DATA_HOME");
        assertEquals(Path.of("/appdata").resolve("Quire"),
                Profiles.root(null, Map.of("APPDATA", "/appdata"), "Windows 11", HOME));
        assertEquals(HOME.resolve("Library").resolve("Application Support").resolve("Quire"),
                Profiles.root(null, Map.of("XDG_DATA_HOME", "/data"), "Mac OS X", HOME));
    }

    @Test
    void aProfileDirectoryStaysUnderTheRootWhateverTheUrlAndUserSay() {
        Profiles profiles = Profiles.at(dir);
        Path base = dir.resolve(Profiles.PROFILES_DIR);
        assertThrows(IllegalArgumentException.class, () -> profiles.profile(URI.create("https://../../etc"), "a"),
                "no host name");
        List<Profile> hostile = List.of(
                profiles.profile(URI.create("http://[::1]:8080/../.."), "alice"),
                profiles.profile(URI.create("http://example.com/../../x"), "../../root"),
                profiles.profile(URI.create("http://example.com"), "a/b\\c:..\u0000"),
                profiles.profile(URI.create("http://con"), "nul"),
                profiles.profile(URI.create("http://" + "x".repeat(200) + ".example"), "y".repeat(500)));
        for (Profile p : hostile) {
            assertEquals(base, p.directory().getParent(), p.toString());
            String name = p.directory().getFileName().toString();
            assertTrue(name.matches("[a-z0-9_][a-z0-9._-]*") && name.length() < 120, name);
        }
    }

    @Test
    void equivalentUrlsShareAProfileAndDifferentUsersOrServersDoNot() {
        Profiles profiles = Profiles.at(dir);
        Profile a = profiles.profile(URI.create("HTTPS://Example.COM:443/"), "alice");
        assertEquals(a, profiles.profile(URI.create("https://example.com"), "alice"));
        assertEquals(URI.create("https://example.com"), a.server());
        assertNotEquals(a.directory(), profiles.profile(URI.create("https://example.com"), "Alice").directory());
        assertNotEquals(a.directory(), profiles.profile(URI.create("https://example.com:8443"), "alice").directory());
        assertNotEquals(a.directory(), profiles.profile(URI.create("http://example.com"), "alice").directory());
        // users whose names clean up alike still get their own directories
        assertNotEquals(profiles.profile(URI.create("https://example.com"), "a/b").directory(),
                profiles.profile(URI.create("https://example.com"), "a_b").directory());
    }

    @Test
    void urlsWithCredentialsQueriesOrOtherSchemesAreRefused() {
        Profiles profiles = Profiles.at(dir);
        for (String url : List.of("https://bob:secret@example.com", "https://example.com/?token=x",
                "https://example.com/#frag", "file:///etc/passwd", "example.com")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> profiles.profile(URI.create(url), "alice"), url);
            assertFalse(e.getMessage().contains("secret"), e.getMessage());
        }
    }

    @Test
    void createdProfilesAreListedAndTheLastOneUsedIsRemembered() throws Exception {
        Profiles profiles = Profiles.at(dir);
        assertEquals(List.of(), profiles.list());
        assertEquals(Optional.empty(), profiles.last());
        Profile alice = profiles.create(URI.create("https://example.com"), "alice");
        Profile bob = profiles.create(URI.create("http://localhost:8080"), "bob");
        Files.createDirectories(dir.resolve(Profiles.PROFILES_DIR).resolve("not-a-profile"));
        assertEquals(2, profiles.list().size());
        assertTrue(profiles.list().containsAll(List.of(alice, bob)));

        profiles.rememberLast(bob);
        assertEquals(Optional.of(bob), Profiles.at(dir).last());
        profiles.rememberLast(alice);
        assertEquals(Optional.of(alice), Profiles.at(dir).last());

        Files.writeString(dir.resolve(Profiles.LAST_FILE), "../../elsewhere\n");
        assertEquals(Optional.empty(), profiles.last(), "a hand-edited name is not followed");
    }

    @Test
    void aProfileDirectoryHoldsItsOwnStore() throws Exception {
        Profiles profiles = Profiles.locate(null, Map.of("QUIRE_HOME", dir.toString()));
        Profile p = profiles.create(URI.create("https://example.com"), "alice");
        assertTrue(p.directory().startsWith(dir));
        try (LocalStore store = LocalStore.open(p.directory(), java.time.Clock.systemUTC())) {
            store.appendLocal("doc", "alice", new Editor(1).edit(t -> t.insert(0, "x")));
        }
        assertTrue(Files.exists(p.directory().resolve(Database.DATABASE_FILE)));
        assertEquals(List.of(p), profiles.list(), "the store's files do not confuse the listing");
    }

    @Test
    void theLastProfileIsFoundWhateverTheLengthOfItsName() throws Exception {
        Profiles profiles = Profiles.at(dir);
        Profile p = profiles.create(java.net.URI.create("http://127.0.0.1:45678"), "u_abcdefghijklmnopqrstuv");
        assertTrue(p.directory().getFileName().toString().length() > 40);
        profiles.rememberLast(p);
        assertEquals(Optional.of(p), Profiles.at(dir).last());
    }
}
