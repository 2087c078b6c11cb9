package dev.quire.server.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's token signing keys: ES256 (ECDSA on P-256) key pairs, stored with their private parts as a JWK set in
 * {@code DATA/keys.json} (owner-only, written atomically; {@link PrivateFile}). The first start creates one key; {@link
 * #rotate()} (or {@code ./quire server keys rotate} from another process, noticed by the file's change) adds a new
 * current key and retires the old one.
 *
 * <p>A retired key no longer signs, but it stays published in the JWKS and accepted for verification until every
 * token it signed has expired: {@code retiredAt + maxTokenLifetime + }{@link JwtVerifier#MAX_LEEWAY}. After that it
 * is dropped from both (and from the file at the next rotation). Each key carries its retirement time in a
 * {@value #RETIRED_AT} member, which JWK consumers ignore (RFC 7517 §4: unknown members are ignored).
 *
 * <p>ES256 rather than EdDSA: the JDK signs it without extra libraries (Nimbus's Ed25519 needs Tink), and every JWT
 * library and identity provider verifies it. Key ids are RFC 7638 thumbprints.
 */
public final class KeyRing implements VerificationKeys {
    private static final Logger log = LoggerFactory.getLogger(KeyRing.class);
    static final String RETIRED_AT = "quire_retired_at";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One key and when it was retired (null while current). */
    private record Slot(ECKey key, Instant retiredAt) {
    }

    private record Snapshot(List<Slot> slots) {
        boolean hasCurrent() {
            return !slots.isEmpty() && slots.get(slots.size() - 1).retiredAt() == null;
        }

        ECKey current() {
            return slots.get(slots.size() - 1).key();
        }
    }

    private final PrivateFile file;
    private final Duration retention;
    private final Clock clock;
    private final SecureRandom random;
    /** Set once by {@link #open}, after the file has a current key. */
    private volatile WatchedFile<Snapshot> snapshot;

    private KeyRing(PrivateFile file, Duration retention, Clock clock, SecureRandom random) {
        this.file = file;
        this.retention = retention;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Opens the key file, creating it with a first key if it does not exist (or holds no current key).
     *
     * @param maxTokenLifetime the longest time a token may be accepted after it was signed: the access token
     *                         lifetime plus any expired-token grace; a retired key is kept that long (plus the
     *                         leeway) after its retirement
     * @throws IllegalStateException if the file exists but cannot be read as this class writes it
     */
    public static KeyRing open(Path path, Duration maxTokenLifetime, Clock clock, SecureRandom random) {
        if (maxTokenLifetime.isNegative()) {
            throw new IllegalArgumentException("maxTokenLifetime must not be negative: " + maxTokenLifetime);
        }
        KeyRing ring = new KeyRing(new PrivateFile(path), maxTokenLifetime.plus(JwtVerifier.MAX_LEEWAY),
                Objects.requireNonNull(clock), Objects.requireNonNull(random));
        boolean created = !ring.read(ring.file.read().map(PrivateFile.Read::content)).hasCurrent();
        if (created) {
            ring.file.update(current -> {
                Snapshot s = ring.read(current);
                List<Slot> slots = new ArrayList<>(s.slots());
                if (!s.hasCurrent()) {
                    slots.add(new Slot(ring.generate(), null)); // still needed after taking the lock
                }
                return format(slots);
            });
        }
        // Keep signing and verifying with the keys we have rather than failing every login.
        ring.snapshot = new WatchedFile<>(ring.file, ring::readWithCurrent,
                s -> log.info("signing keys in {} changed; current key {}", ring.file.path(), s.current().getKeyID()),
                (kept, e) -> log.warn("signing keys in {} changed but cannot be used, keeping the previous ones: {}",
                        ring.file.path(), e.getMessage()));
        if (created) {
            log.info("created signing key {} in {}", ring.currentKeyId(), ring.file.path());
        }
        return ring;
    }

    public Path path() {
        return file.path();
    }

    /** The id of the key that signs new tokens. */
    public String currentKeyId() {
        return current().current().getKeyID();
    }

    /**
     * Makes a new key current and retires the current one (which stays valid for verification, see the class
     * comment). Drops keys whose retention has passed from the file.
     *
     * @return the new key's id
     */
    public synchronized String rotate() {
        Instant now = clock.instant();
        ECKey fresh = generate();
        file.update(current -> {
            List<Slot> slots = new ArrayList<>();
            for (Slot s : current.map(this::parse).orElse(List.of())) {
                Slot retired = s.retiredAt() == null ? new Slot(s.key(), now) : s;
                if (!expired(retired, now)) {
                    slots.add(retired);
                }
            }
            slots.add(new Slot(fresh, null));
            return format(slots);
        });
        snapshot.reload();
        log.info("rotated signing keys: {} is now current", fresh.getKeyID());
        return fresh.getKeyID();
    }

    /**
     * The public keys as a JWK set, for {@code GET /.well-known/jwks.json}: the current key and the retired keys that
     * still verify. Public parameters only (no {@code d}).
     */
    public String publicJwks() {
        List<JWK> keys = new ArrayList<>();
        for (Slot s : live()) {
            keys.add(s.key().toPublicJWK());
        }
        return new JWKSet(keys).toString(true);
    }

    /** The ids of the keys that verify now, current last. */
    public List<String> keyIds() {
        return live().stream().map(s -> s.key().getKeyID()).toList();
    }

    @Override
    public Optional<JWK> find(String kid) {
        for (Slot s : live()) {
            if (s.key().getKeyID().equals(kid)) {
                return Optional.of(s.key().toPublicJWK());
            }
        }
        return Optional.empty();
    }

    /** The current key pair, for {@link TokenIssuer}. */
    ECKey signingKey() {
        return current().current();
    }

    private List<Slot> live() {
        Instant now = clock.instant();
        return current().slots().stream().filter(s -> !expired(s, now)).toList();
    }

    private boolean expired(Slot s, Instant now) {
        return s.retiredAt() != null && !now.isBefore(s.retiredAt().plus(retention));
    }

    private Snapshot current() {
        return snapshot.get();
    }

    private Snapshot read(Optional<String> content) {
        return new Snapshot(content.map(this::parse).orElse(List.of()));
    }

    /** A key file that another process left without a current key cannot sign: keep the previous keys. */
    private Snapshot readWithCurrent(Optional<String> content) {
        Snapshot s = read(content);
        if (!s.hasCurrent()) {
            throw new IllegalStateException(file.path() + " has no current key");
        }
        return s;
    }

    private List<Slot> parse(String content) {
        try {
            JsonNode root = JSON.readTree(content);
            JsonNode keys = root == null ? null : root.get("keys");
            if (keys == null || !keys.isArray()) {
                throw new IllegalStateException(file.path() + " is not a JWK set (no \"keys\" array)");
            }
            List<Slot> slots = new ArrayList<>();
            for (JsonNode k : keys) {
                if (!(k instanceof ObjectNode o)) {
                    throw new IllegalStateException(file.path() + ": a key is not a JSON object");
                }
                ObjectNode copy = o.deepCopy();
                JsonNode retired = copy.remove(RETIRED_AT);
                JWK jwk = JWK.parse(JSON.writeValueAsString(copy));
                if (!(jwk instanceof ECKey ec) || !ec.isPrivate() || !Curve.P_256.equals(ec.getCurve())
                        || ec.getKeyID() == null) {
                    throw new IllegalStateException(file.path() + ": every key must be a P-256 key pair with a kid");
                }
                slots.add(new Slot(ec, retired == null || retired.isNull()
                        ? null : Instant.ofEpochSecond(retired.asLong())));
            }
            return slots;
        } catch (JsonProcessingException | ParseException e) {
            // Not e.getMessage(): a parser may quote the input, and the input holds private keys.
            throw new IllegalStateException(file.path() + " cannot be read as a JWK set (" + e.getClass().getSimpleName()
                    + "); restore it from a backup or delete it to start with a new key");
        }
    }

    private static String format(List<Slot> slots) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode keys = root.putArray("keys");
        for (Slot s : slots) {
            ObjectNode k = JSON.valueToTree(s.key().toJSONObject());
            if (s.retiredAt() != null) {
                k.put(RETIRED_AT, s.retiredAt().getEpochSecond());
            }
            keys.add(k);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the key set", e);
        }
    }

    private ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true)
                    .secureRandom(random)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a P-256 key pair", e);
        }
    }

    @Override
    public String toString() {
        return "KeyRing[" + file.path() + "]"; // never the keys
    }
}
