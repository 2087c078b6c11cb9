package dev.quire.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(1000, new SecureRandom());

    @Test
    void theRightPasswordVerifiesAndAWrongOneDoesNot() {
        String encoded = hasher.hash("correct horse".toCharArray());
        assertTrue(hasher.verify("correct horse".toCharArray(), encoded));
        assertFalse(hasher.verify("correct horsf".toCharArray(), encoded));
        assertFalse(hasher.verify("".toCharArray(), encoded));
        assertFalse(hasher.verify(null, encoded));
    }

    @Test
    void theEncodedFormNamesSchemeAndIterationsAndHidesThePassword() {
        String encoded = hasher.hash("s3cret-pw".toCharArray());
        String[] parts = encoded.split("\\$");
        assertEquals(4, parts.length, encoded);
        assertEquals("pbkdf2-sha256", parts[0]);
        assertEquals("1000", parts[1]);
        assertFalse(encoded.contains("s3cret"));
        assertFalse(encoded.contains(":"), "must fit a line of the users file");
    }

    @Test
    void everyHashHasItsOwnSalt() {
        assertNotEquals(hasher.hash("same".toCharArray()), hasher.hash("same".toCharArray()));
    }

    @Test
    void aHashMadeWithOtherIterationsStillVerifiesAndAsksForARehash() {
        String old = new PasswordHasher(500, new SecureRandom()).hash("pw".toCharArray());
        assertTrue(hasher.verify("pw".toCharArray(), old));
        assertTrue(hasher.needsRehash(old));
        assertFalse(hasher.needsRehash(hasher.hash("pw".toCharArray())));
    }

    @Test
    void malformedOrTamperedHashesNeverMatch() {
        String good = hasher.hash("pw".toCharArray());
        for (String bad : new String[] {null, "", "plain", "pbkdf2-sha256$x$AA$AA", "md5$1000$AAAA$AAAA",
                "pbkdf2-sha256$99999999$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                good.substring(0, good.length() - 2) + (good.endsWith("A") ? "BB" : "AA")}) {
            assertFalse(hasher.verify("pw".toCharArray(), bad), String.valueOf(bad));
        }
    }

    @Test
    void refusesEmptyPasswordsAndSillyIterationCounts() {
        assertThrows(IllegalArgumentException.class, () -> hasher.hash(new char[0]));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(0, new SecureRandom()));
        assertEquals(600_000, PasswordHasher.DEFAULT_ITERATIONS);
    }
}
