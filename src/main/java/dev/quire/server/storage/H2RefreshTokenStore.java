package dev.quire.server.storage;

import dev.quire.server.storage.RefreshTokenStore.Exchange.Expired;
import dev.quire.server.storage.RefreshTokenStore.Exchange.Reused;
import dev.quire.server.storage.RefreshTokenStore.Exchange.Revoked;
import dev.quire.server.storage.RefreshTokenStore.Exchange.Rotated;
import dev.quire.server.storage.RefreshTokenStore.Exchange.Unknown;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link RefreshTokenStore} in the server's H2 database (tables of {@link Schema} migration 3). Each operation is one
 * {@link H2Database#transaction}; those run one at a time on the single connection, which is what makes {@link
 * #exchange} single-use under concurrency: the second of two exchanges of one token sees {@code used_at} set by the
 * first. The {@code used_at IS NULL} condition on the update is a second guard that would hold even with a pool.
 */
final class H2RefreshTokenStore implements RefreshTokenStore {
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final H2Database db;

    H2RefreshTokenStore(H2Database db) {
        this.db = db;
    }

    @Override
    public void startFamily(String familyId, String userId, String tokenHash, Instant now, Instant expiresAt) {
        requireHash(tokenHash);
        requireId("family id", familyId, 64);
        requireId("user id", userId, Schema.MAX_ID_LENGTH);
        db.transaction("starting a refresh token family for user " + userId, true, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO refresh_families (id, user_id, created_at,"
                    + " expires_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, familyId);
                ps.setString(2, userId);
                ps.setObject(3, utc(now));
                ps.setObject(4, utc(expiresAt));
                ps.executeUpdate();
            }
            insertToken(c, tokenHash, familyId, now);
            return null;
        });
    }

    @Override
    public Exchange exchange(String tokenHash, String nextHash, Instant now) {
        requireHash(tokenHash);
        requireHash(nextHash);
        return db.transaction("exchanging a refresh token", true, c -> {
            String familyId;
            String userId;
            Instant expiresAt;
            boolean revoked;
            boolean used;
            try (PreparedStatement ps = c.prepareStatement("SELECT f.id, f.user_id, f.expires_at, f.revoked_at"
                    + " IS NOT NULL, t.used_at IS NOT NULL FROM refresh_tokens t JOIN refresh_families f"
                    + " ON f.id = t.family_id WHERE t.token_hash = ?")) {
                ps.setString(1, tokenHash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return new Unknown();
                    }
                    familyId = rs.getString(1);
                    userId = rs.getString(2);
                    expiresAt = rs.getObject(3, OffsetDateTime.class).toInstant();
                    revoked = rs.getBoolean(4);
                    used = rs.getBoolean(5);
                }
            }
            if (revoked) {
                return new Revoked(familyId, userId);
            }
            if (used) {
                // RFC 6819 §5.2.2.3: a used token presented again means it leaked; revoke the whole family.
                revokeFamily(c, familyId, now, "reuse");
                return new Reused(familyId, userId);
            }
            if (!now.isBefore(expiresAt)) {
                return new Expired(familyId, userId);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL")) {
                ps.setObject(1, utc(now));
                ps.setString(2, tokenHash);
                if (ps.executeUpdate() != 1) {
                    revokeFamily(c, familyId, now, "reuse");
                    return new Reused(familyId, userId);
                }
            }
            insertToken(c, nextHash, familyId, now);
            return new Rotated(familyId, userId, expiresAt);
        });
    }

    @Override
    public Optional<String> revokeFamilyOf(String tokenHash, Instant now) {
        requireHash(tokenHash);
        return db.transaction("revoking a refresh token family", true, c -> {
            String familyId;
            String userId;
            try (PreparedStatement ps = c.prepareStatement("SELECT f.id, f.user_id FROM refresh_tokens t"
                    + " JOIN refresh_families f ON f.id = t.family_id WHERE t.token_hash = ?")) {
                ps.setString(1, tokenHash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    familyId = rs.getString(1);
                    userId = rs.getString(2);
                }
            }
            revokeFamily(c, familyId, now, "revoked");
            return Optional.of(userId);
        });
    }

    @Override
    public int revokeAllOf(String userId, Instant now) {
        requireId("user id", userId, Schema.MAX_ID_LENGTH);
        return db.transaction("revoking the refresh tokens of user " + userId, true, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE refresh_families SET revoked_at = ?,"
                    + " revoked_reason = 'user' WHERE user_id = ? AND revoked_at IS NULL")) {
                ps.setObject(1, utc(now));
                ps.setString(2, userId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int deleteExpired(Instant now) {
        return db.transaction("deleting expired refresh tokens", true, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM refresh_families WHERE expires_at <= ?")) {
                ps.setObject(1, utc(now));
                return ps.executeUpdate(); // tokens go with them (ON DELETE CASCADE)
            }
        });
    }

    private static void revokeFamily(Connection c, String familyId, Instant now, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE refresh_families SET revoked_at = ?, revoked_reason = ?"
                + " WHERE id = ? AND revoked_at IS NULL")) {
            ps.setObject(1, utc(now));
            ps.setString(2, reason);
            ps.setString(3, familyId);
            ps.executeUpdate();
        }
    }

    private static void insertToken(Connection c, String tokenHash, String familyId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO refresh_tokens (token_hash, family_id, issued_at) VALUES (?, ?, ?)")) {
            ps.setString(1, tokenHash);
            ps.setString(2, familyId);
            ps.setObject(3, utc(now));
            ps.executeUpdate();
        }
    }

    private static void requireHash(String hash) {
        // Catches a caller passing the token itself: it would then be stored in the clear.
        if (hash == null || !HASH.matcher(hash).matches()) {
            throw new IllegalArgumentException("a refresh token hash is 64 lowercase hex digits (SHA-256)");
        }
    }

    private static void requireId(String what, String id, int max) {
        if (id == null || id.isEmpty() || id.length() > max) {
            throw new IllegalArgumentException("the " + what + " must be 1 to " + max + " characters");
        }
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
