package dev.quire.server.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-time tickets for clients that cannot set an {@code Authorization} header on a WebSocket (browsers, stock Yjs
 * clients): {@code POST /auth/ticket} with a bearer token issues one, bound to that user and one document, valid
 * for {@link #LIFETIME}; connecting with {@code ?ticket=} redeems it, once. A ticket in a URL may end up in a proxy's
 * access log, which is why it is short-lived and single use, and why an access token in the URL is refused.
 *
 * <p>Kept in memory only: a restart invalidates outstanding tickets, which costs a client one retry.
 */
public final class Tickets {
    public static final Duration LIFETIME = Duration.ofSeconds(30);
    /** More outstanding tickets than this means a client is minting them in a loop; refuse rather than grow. */
    static final int MAX_OUTSTANDING = 100_000;

    public record Ticket(String value, Duration expiresIn) {
        @Override
        public String toString() {
            return "Ticket[expiresIn=" + expiresIn + "]"; // never the value: it is a credential
        }
    }

    private record Issued(Principal principal, String docId, Instant expiresAt) {
    }

    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, Issued> outstanding = new ConcurrentHashMap<>();

    public Tickets(Clock clock, SecureRandom random) {
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
    }

    public Ticket issue(Principal principal, String docId) {
        Instant now = clock.instant();
        pruneExpired(now);
        if (outstanding.size() >= MAX_OUTSTANDING) {
            throw new IllegalStateException("too many outstanding tickets; try again shortly");
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        // The ticket must not outlive the token it was issued for.
        Instant expiresAt = min(now.plus(LIFETIME), principal.expiresAt());
        outstanding.put(value, new Issued(principal, docId, expiresAt));
        return new Ticket(value, Duration.between(now, expiresAt));
    }

    /**
     * Redeems a ticket for {@code docId}. A ticket is consumed by the first attempt, even one for the wrong document.
     *
     * @throws AuthException TOKEN_INVALID for an unknown, used or other-document ticket, TOKEN_EXPIRED for a late one
     */
    public Principal redeem(String ticket, String docId) {
        Issued issued = ticket == null ? null : outstanding.remove(ticket);
        if (issued == null) {
            throw new AuthException(AuthError.TOKEN_INVALID, "unknown or already used ticket");
        }
        if (!clock.instant().isBefore(issued.expiresAt())) {
            throw new AuthException(AuthError.TOKEN_EXPIRED, "the ticket has expired");
        }
        if (!issued.docId().equals(docId)) {
            throw new AuthException(AuthError.TOKEN_INVALID, "the ticket was issued for another document");
        }
        return issued.principal();
    }

    int outstanding() {
        return outstanding.size();
    }

    private void pruneExpired(Instant now) {
        for (Iterator<Issued> it = outstanding.values().iterator(); it.hasNext(); ) {
            if (!now.isBefore(it.next().expiresAt())) {
                it.remove();
            }
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
