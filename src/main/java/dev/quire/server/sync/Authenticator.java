package dev.quire.server.sync;

import dev.quire.server.auth.AuthError;
import dev.quire.server.auth.AuthException;
import dev.quire.server.auth.Principal;
import dev.quire.server.auth.Tickets;
import dev.quire.server.auth.TokenVerifier;

/**
 * Turns a connection's credential into the user it speaks for, or an {@link AuthException} with the code to close
 * with. Dev mode admits everyone as {@link Principal#DEV}; otherwise a credential is always required (issue 5: "there is no
 * development-token fallback").
 */
final class Authenticator {
    private final TokenVerifier verifier;
    private final Tickets tickets;
    private final boolean devMode;

    Authenticator(TokenVerifier verifier, Tickets tickets, boolean devMode) {
        this.verifier = verifier;
        this.tickets = tickets;
        this.devMode = devMode;
    }

    Principal authenticate(ConnectRequest request) {
        if (devMode) {
            return Principal.DEV;
        }
        ConnectRequest.Credential credential = request.credential();
        if (credential instanceof ConnectRequest.Bearer bearer) {
            if (bearer.token().isEmpty()) {
                throw new AuthException(AuthError.AUTH_REQUIRED, "empty bearer token");
            }
            return verifier.verify(bearer.token());
        }
        if (credential instanceof ConnectRequest.Ticket ticket) {
            return tickets.redeem(ticket.ticket(), request.docId());
        }
        if (credential instanceof ConnectRequest.TokenInUrl) {
            throw new AuthException(AuthError.TOKEN_INVALID,
                    "an access token in the URL is refused; send it in the Authorization header or use a ticket");
        }
        if (credential instanceof ConnectRequest.UnsupportedScheme) {
            throw new AuthException(AuthError.TOKEN_INVALID, "the Authorization header must be a Bearer token");
        }
        throw new AuthException(AuthError.AUTH_REQUIRED,
                "no credential: send Authorization: Bearer or connect with ?ticket=");
    }

    /** In-band renewal: the fresh token must speak for the same user as the connection. */
    Principal renew(String token, String connectedUserId) {
        if (devMode) {
            return Principal.DEV;
        }
        if (token == null || token.isBlank()) {
            throw new AuthException(AuthError.AUTH_REQUIRED, "renew without a token");
        }
        Principal fresh = verifier.verify(token);
        if (!fresh.userId().equals(connectedUserId)) {
            throw new AuthException(AuthError.FORBIDDEN, "renew with another user's token");
        }
        return fresh;
    }
}
