package dev.quire.session;

import java.util.concurrent.CompletableFuture;

/**
 * The server's token and revocation endpoints, as the session needs them. Implemented over HTTP by {@code
 * dev.quire.net.HttpTokenEndpoint}; kept as an interface so the session stays free of sockets.
 *
 * <p>Every future fails with a {@link TokenEndpointException} that says whether the failure is transient (worth a
 * retry) or a rejection (final). Implementations must not block the caller.
 */
public interface TokenEndpoint {

    /** RFC 6749 §4.3 password grant. The array stays the caller's. */
    CompletableFuture<TokenGrant> password(String user, char[] password);

    /** RFC 6749 §6 refresh grant; the server rotates the refresh token, so {@code refreshToken} is used up. */
    CompletableFuture<TokenGrant> refresh(String refreshToken);

    /** RFC 7009 revocation of a refresh token (and with it the login it belongs to). */
    CompletableFuture<Void> revoke(String refreshToken);
}
