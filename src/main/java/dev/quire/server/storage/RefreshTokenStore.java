package dev.quire.server.storage;

import java.time.Instant;
import java.util.Optional;

/**
 * Refresh tokens with rotation and reuse detection (RFC 6819 §5.2.2.3, OAuth 2.0 Security BCP §4.14.2), stored as
 * hashes only: a copy of the database does not hand out sessions. Callers pass the token's hash (SHA-256, hex), never
 * the token.
 *
 * <p>Each login starts a <em>family</em>; each refresh uses one token and adds the next to its family. Using a token
 * twice means it was copied: whoever presents it second (attacker or victim), the whole family is revoked, so the
 * copy is worthless and the user logs in again. {@link #exchange} does the check and the state change in one
 * transaction, so of two concurrent exchanges of the same token exactly one rotates and the other is a reuse.
 */
public interface RefreshTokenStore {

    /** What {@link #exchange} found. */
    sealed interface Exchange {
        /** The token was fresh: it is now used and {@code nextHash} is the family's live token. */
        record Rotated(String familyId, String userId, Instant familyExpiresAt) implements Exchange {
        }

        /** The token had been used before: the family is revoked now (or was already). */
        record Reused(String familyId, String userId) implements Exchange {
        }

        /** The family was revoked earlier (logout, reuse, user deleted). */
        record Revoked(String familyId, String userId) implements Exchange {
        }

        /** The family has expired. */
        record Expired(String familyId, String userId) implements Exchange {
        }

        /** No such token (never issued, or its family was deleted after it expired). */
        record Unknown() implements Exchange {
        }
    }

    /** Starts a family (a login) whose first token has hash {@code tokenHash}; it ends at {@code expiresAt}. */
    void startFamily(String familyId, String userId, String tokenHash, Instant now, Instant expiresAt);

    /** Uses the token {@code tokenHash} and, if it was fresh, makes {@code nextHash} its family's live token. */
    Exchange exchange(String tokenHash, String nextHash, Instant now);

    /**
     * Revokes the family of {@code tokenHash} (RFC 7009 revocation: logout).
     *
     * @return the family's user id, if the token was known
     */
    Optional<String> revokeFamilyOf(String tokenHash, Instant now);

    /** Revokes every family of a user (user disabled or deleted, "log out everywhere"); returns how many. */
    int revokeAllOf(String userId, Instant now);

    /** Deletes families that expired before {@code now}, with their tokens; returns how many. */
    int deleteExpired(Instant now);
}
