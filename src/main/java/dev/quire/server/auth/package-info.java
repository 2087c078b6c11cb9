/**
 * Who may use the server: accounts, passwords, signed access tokens and rotating refresh tokens. No sockets and no
 * HTTP here; the server's adapters call these classes, and time and randomness are injected ({@code Clock},
 * {@code SecureRandom}) so tests drive them.
 *
 * <ul>
 *   <li>{@link dev.quire.server.auth.PasswordHasher}: PBKDF2-HMAC-SHA256, self-describing encoded hashes.</li>
 *   <li>{@link dev.quire.server.auth.UserDirectory} / {@link dev.quire.server.auth.FileUserDirectory}: the users file,
 *       re-read when another process ({@code ./quire server user add}) changes it.</li>
 *   <li>{@link dev.quire.server.auth.KeyRing}: ES256 signing keys in {@code keys.json}, rotation, the public JWKS.</li>
 *   <li>{@link dev.quire.server.auth.TokenIssuer} signs access JWTs; {@link dev.quire.server.auth.JwtVerifier}
 *       checks them (or an external identity provider's) and is the server's
 *       {@link dev.quire.server.auth.TokenVerifier}.</li>
 *   <li>{@link dev.quire.server.auth.TokenService}: the token endpoint's grants and revocation, with refresh token
 *       rotation and reuse detection over {@link dev.quire.server.storage.RefreshTokenStore}.</li>
 *   <li>{@link dev.quire.server.auth.Tickets}: one-time tickets for clients that cannot send headers.</li>
 * </ul>
 *
 * <p>Secrets (passwords, hashes, tokens, refresh tokens, tickets, private keys) never appear in an exception message,
 * a log line or a {@code toString()}; records that hold one override {@code toString()}. Rejections carry an
 * {@link dev.quire.server.auth.AuthError} code (or an RFC 6749 error for the token endpoint) and a message that says
 * which check failed. Decisions: docs/decisions/0005-server-tokens.md.
 */
package dev.quire.server.auth;
