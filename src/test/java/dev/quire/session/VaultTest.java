package dev.quire.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where refresh tokens rest: a file owner-only in the profile, or the Secret Service when it works. */
class VaultTest {
    @TempDir
    Path dir;

    @Test
    void theProfileFileIsOwnerOnlyFromItsFirstByte() throws Exception {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "no POSIX permissions here");
        Path profile = dir.resolve("profiles").resolve("p1");
        RefreshTokenVault vault = RefreshTokenVault.inProfile(profile);
        assertEquals(Optional.empty(), vault.load());

        vault.store("qrt_first");

        Path file = profile.resolve("refresh-token");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(profile)));
        assertEquals(Optional.of("qrt_first"), vault.load());

        vault.store("qrt_second");
        assertEquals(Optional.of("qrt_second"), vault.load());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var files = Files.list(profile)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }

        vault.clear();
        assertEquals(Optional.empty(), vault.load());
        assertFalse(Files.exists(file));
        vault.clear(); // harmless twice
    }

    @Test
    void aWidenedFileIsNarrowedBeforeItIsRead() throws Exception {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "no POSIX permissions here");
        RefreshTokenVault vault = RefreshTokenVault.inProfile(dir);
        vault.store("qrt_token");
        Path file = dir.resolve("refresh-token");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertEquals(Optional.of("qrt_token"), vault.load());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void anUnwritableProfileIsAVaultErrorThatNamesThePlaceNotTheToken() throws Exception {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "no POSIX permissions here");
        Path profile = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(profile, PosixFilePermissions.fromString("r-x------"));
        assumeTrue(!Files.isWritable(profile), "running as a user who can write anywhere (root)");
        RefreshTokenVault vault = RefreshTokenVault.inProfile(profile);

        VaultException e = assertThrows(VaultException.class, () -> vault.store("qrt_secret_value"));

        assertTrue(e.getMessage().contains(profile.toString()));
        assertFalse(e.getMessage().contains("qrt_secret_value"));
    }

    @Test
    void withoutAWorkingSecretToolTheProfileFileIsUsed() {
        SecretToolVault missing = new SecretToolVault("quire-no-such-secret-tool", "acct", Duration.ofSeconds(5));
        assertFalse(missing.works());
        assertThrows(VaultException.class, missing::load);

        RefreshTokenVault chosen = RefreshTokenVault.forProfile(dir, "acct-" + UUID.randomUUID());
        if (RefreshTokenVault.secretService("probe-" + UUID.randomUUID()).isEmpty()) {
            assertTrue(chosen instanceof FileVault, chosen.toString());
        } else {
            assertTrue(chosen instanceof SecretToolVault, chosen.toString());
        }
    }

    @Test
    void theSecretServiceKeepsTheTokenWhenSecretToolWorks() {
        String account = "quire-test-" + UUID.randomUUID();
        Optional<RefreshTokenVault> os = RefreshTokenVault.secretService(account);
        assumeTrue(os.isPresent(), "secret-tool is not installed, or has no Secret Service (D-Bus session and an "
                + "unlocked keyring) on this machine: the OS credential store is not tested here");
        RefreshTokenVault vault = os.get();
        try {
            vault.store("qrt_one");
            assertEquals(Optional.of("qrt_one"), vault.load());
            vault.store("qrt_two");
            assertEquals(Optional.of("qrt_two"), vault.load());
        } finally {
            vault.clear();
        }
        assertEquals(Optional.empty(), vault.load());
    }
}
