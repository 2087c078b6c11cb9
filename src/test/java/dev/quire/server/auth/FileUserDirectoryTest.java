package dev.quire.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileUserDirectoryTest {
    @TempDir
    Path dir;
    private final PasswordHasher hasher = new PasswordHasher(1000, new SecureRandom());

    private FileUserDirectory open() {
        return new FileUserDirectory(dir.resolve("users"), new SecureRandom());
    }

    @Test
    void addedUsersAreFoundByIdAndNameAndSurviveReopening() {
        FileUserDirectory users = open();
        assertTrue(users.list().isEmpty());
        User alice = users.add("alice", hasher.hash("pw-a".toCharArray()));
        User bob = users.add("bob.b_2-x", hasher.hash("pw-b".toCharArray()));
        assertTrue(alice.id().matches("u_[a-z2-7]{20}"), alice.id());
        assertEquals(alice, users.byName("alice").orElseThrow());
        assertEquals(bob, users.byId(bob.id()).orElseThrow());

        FileUserDirectory again = open();
        assertEquals(List.of(alice, bob), again.list());
        assertTrue(hasher.verify("pw-a".toCharArray(), again.passwordHash(alice.id()).orElseThrow()));
    }

    @Test
    void theFileHasOneLinePerUserAndIsOwnerOnly() throws Exception {
        FileUserDirectory users = open();
        User alice = users.add("alice", hasher.hash("pw".toCharArray()));
        users.disable(alice.id());
        User bob = users.add("bob", hasher.hash("pw".toCharArray()));
        List<String> lines = Files.readAllLines(users.path()).stream().filter(l -> !l.startsWith("#")).toList();
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).startsWith(alice.id() + ":alice:pbkdf2-sha256$"), lines.get(0));
        assertTrue(lines.get(0).endsWith(":disabled"));
        assertTrue(lines.get(1).startsWith(bob.id() + ":bob:pbkdf2-sha256$"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(users.path())));
    }

    @Test
    void aFileWithWiderPermissionsIsNarrowedOnTheNextWrite() throws Exception {
        Path file = dir.resolve("users");
        Files.writeString(file, "");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        open().add("alice", hasher.hash("pw".toCharArray()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void seesUsersAddedByAnotherProcessWhileRunning() throws Exception {
        FileUserDirectory server = open();
        assertTrue(server.byName("carol").isEmpty());
        // Another process (./quire server user add) writes the file.
        User carol = open().add("carol", hasher.hash("pw".toCharArray()));
        assertEquals(carol, server.byName("carol").orElseThrow());
        // An operator's hand edit that keeps size and modification time is still noticed (new inode via the editor's
        // rename); one that rewrites in place with a new mtime too.
        String content = Files.readString(server.path());
        Files.writeString(server.path(), content.replace(":carol:", ":carla:"));
        Files.setLastModifiedTime(server.path(), FileTime.fromMillis(Files.getLastModifiedTime(server.path())
                .toMillis() + 2000));
        assertTrue(server.byName("carol").isEmpty());
        assertEquals(carol.id(), server.byName("carla").orElseThrow().id());
    }

    @Test
    void disableEnableAndDeleteChangeTheFile() {
        FileUserDirectory users = open();
        User alice = users.add("alice", hasher.hash("pw".toCharArray()));
        assertTrue(users.disable(alice.id()));
        assertTrue(open().byId(alice.id()).orElseThrow().disabled());
        assertTrue(users.setDisabled(alice.id(), false));
        assertFalse(open().byId(alice.id()).orElseThrow().disabled());
        assertTrue(users.delete(alice.id()));
        assertTrue(open().byId(alice.id()).isEmpty());
        assertFalse(users.delete(alice.id()));
        assertFalse(users.disable("u_nobody"));
    }

    @Test
    void refusesBadAndDuplicateNames() {
        FileUserDirectory users = open();
        String h = hasher.hash("pw".toCharArray());
        users.add("alice", h);
        assertThrows(IllegalArgumentException.class, () -> users.add("alice", h));
        for (String bad : new String[] {"", "a:b", "a b", "x".repeat(65), "ä"}) {
            assertThrows(IllegalArgumentException.class, () -> users.add(bad, h), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> users.add("bob", "not-a-hash"));
    }

    @Test
    void aBrokenFileIsRefusedAtOpenWithoutQuotingItsLine() throws Exception {
        String hash = hasher.hash("pw".toCharArray());
        Files.writeString(dir.resolve("users"), "# comment\n\nu_1:alice:" + hash + ":maybe\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, this::open);
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertFalse(e.getMessage().contains(hash));
    }

    @Test
    void aFileBrokenWhileRunningKeepsTheLastGoodUsers() throws Exception {
        FileUserDirectory users = open();
        User alice = users.add("alice", hasher.hash("pw".toCharArray()));
        String good = Files.readString(users.path());
        Files.writeString(users.path(), "garbage without colons\n");
        assertEquals(alice, users.byId(alice.id()).orElseThrow());
        // Nor does a write replace a file it cannot read: the operator's edit is not silently lost.
        assertThrows(IllegalStateException.class, () -> users.add("bob", hasher.hash("pw".toCharArray())));
        // Fixed by hand: picked up.
        Files.writeString(users.path(), good.replace(":alice:", ":alicia:"));
        assertEquals("alicia", users.byId(alice.id()).orElseThrow().name());
    }

    @Test
    void toStringsNeverShowHashes() {
        FileUserDirectory users = open();
        String hash = hasher.hash("pw".toCharArray());
        User alice = users.add("alice", hash);
        assertFalse(users.toString().contains(hash));
        assertFalse(alice.toString().contains("pbkdf2"));
    }
}
