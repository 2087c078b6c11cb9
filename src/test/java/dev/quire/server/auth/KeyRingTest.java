package dev.quire.server.auth;

import dev.quire.testing.TestClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingTest {
    private static final Duration TTL = Duration.ofMinutes(15);
    @TempDir
    Path dir;
    private final TestClock clock = TestClock.at("2026-11-23T10:00:00Z");

    private KeyRing open() {
        return KeyRing.open(dir.resolve("keys.json"), TTL, clock, new SecureRandom());
    }

    @Test
    void theFirstStartCreatesAnOwnerOnlyFileWithOnePrivateKey() throws Exception {
        KeyRing ring = open();
        Path file = dir.resolve("keys.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        JWKSet stored = JWKSet.parse(Files.readString(file));
        assertEquals(1, stored.getKeys().size());
        assertTrue(stored.getKeys().get(0).isPrivate());
        assertEquals(ring.currentKeyId(), stored.getKeys().get(0).getKeyID());
        assertEquals(ring.currentKeyId(), open().currentKeyId(), "a restart keeps the key");
    }

    @Test
    void thePublishedJwksHasNoPrivatePartsAndNamesTheAlgorithm() throws Exception {
        KeyRing ring = open();
        ring.rotate();
        String jwks = ring.publicJwks();
        JsonNode keys = new ObjectMapper().readTree(jwks).get("keys");
        assertEquals(2, keys.size());
        for (JsonNode k : keys) {
            assertFalse(k.has("d"), jwks);
            assertFalse(k.has(KeyRing.RETIRED_AT), jwks);
            assertEquals("EC", k.get("kty").asText());
            assertEquals("P-256", k.get("crv").asText());
            assertEquals("ES256", k.get("alg").asText());
            assertEquals("sig", k.get("use").asText());
            assertTrue(k.has("x") && k.has("y") && k.has("kid"));
        }
        assertFalse(jwks.contains("\"d\""));
    }

    @Test
    void aRetiredKeyStaysPublishedUntilItsTokensHaveExpiredThenIsDropped() {
        KeyRing ring = open();
        String old = ring.currentKeyId();
        clock.advance(Duration.ofHours(1));
        String fresh = ring.rotate();
        assertNotEquals(old, fresh);
        assertEquals(fresh, ring.currentKeyId());
        assertEquals(List.of(old, fresh), ring.keyIds());
        assertTrue(ring.find(old).isPresent());

        clock.advance(TTL.plus(JwtVerifier.MAX_LEEWAY).minusSeconds(1));
        assertTrue(ring.find(old).isPresent(), "a token signed just before the rotation may still be valid");
        assertTrue(ring.publicJwks().contains(old));
        clock.advance(Duration.ofSeconds(1));
        assertTrue(ring.find(old).isEmpty());
        assertFalse(ring.publicJwks().contains(old));
        assertEquals(List.of(fresh), ring.keyIds());

        ring.rotate(); // and the next rotation drops it from the file
        assertFalse(dir.resolve("keys.json").toFile().length() == 0);
        assertEquals(2, KeyRing.open(dir.resolve("keys.json"), TTL, clock, new SecureRandom()).keyIds().size());
    }

    @Test
    void aRotationByAnotherProcessTakesEffectWithoutRestart() {
        KeyRing server = open();
        String before = server.currentKeyId();
        String rotated = open().rotate(); // ./quire server keys rotate
        assertEquals(rotated, server.currentKeyId());
        assertEquals(List.of(before, rotated), server.keyIds());
        assertTrue(server.signingKey().isPrivate());
    }

    @Test
    void anUnreadableKeyFileIsRefusedWithoutQuotingIt() throws Exception {
        Files.writeString(dir.resolve("keys.json"), "{\"keys\":[{\"kty\":\"EC\",\"d\":\"c2VjcmV0\"}]}");
        IllegalStateException e = assertThrows(IllegalStateException.class, this::open);
        assertFalse(e.getMessage().contains("c2VjcmV0"), e.getMessage());
    }

    @Test
    void toStringShowsNoKey() {
        KeyRing ring = open();
        assertFalse(ring.toString().contains(ring.currentKeyId()));
    }
}
