/**
 * The client's session: who is signed in to one server, and the only way anything gets an access token.
 *
 * <p>{@link dev.quire.session.Session} logs in with the password grant (or resumes from the refresh token in a
 * {@link dev.quire.session.RefreshTokenVault}), and {@link dev.quire.session.Session#accessToken()} answers every
 * request for a token after checking it is fresh. The token's own {@code exp} and {@code iat} give its lifetime and the
 * clock skew against the server; it is refreshed ahead of expiry on an injected {@link dev.quire.session.Scheduler},
 * one request at a time however many callers wait for it (single flight). Refresh tokens rotate (RFC 6749 §10.4), and
 * the new one is in the vault before the old one is forgotten.
 *
 * <p>Failures are classified ({@link dev.quire.session.TokenEndpointException.Kind}): a network error, a timeout or a
 * 5xx is transient and retried with exponential backoff and full jitter while the user stays signed in; a refresh the
 * server rejects ends the session, and {@link dev.quire.session.SessionEvent.SessionEnded} reaches every listener once.
 * There is no fallback to any development token.
 *
 * <p>Pure logic: no sockets, no HTTP, no JavaFX ({@code ArchitectureTest}). The token endpoint is the {@link
 * dev.quire.session.TokenEndpoint} interface, implemented over HTTP in {@code dev.quire.net}; the vaults keep a file
 * in the profile or call the desktop's Secret Service ({@code secret-tool}). Nothing here logs, throws or prints a
 * token, a refresh token or a password; {@code toString()} of every type holding one is redacted.
 */
package dev.quire.session;
