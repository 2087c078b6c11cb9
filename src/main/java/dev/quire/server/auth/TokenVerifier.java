package dev.quire.server.auth;

/**
 * Checks an access token, on every connection and every in-band renewal: signature with an allow-listed algorithm,
 * known {@code kid}, {@code exp}/{@code nbf} within the leeway, {@code iss}, {@code aud}, and that the user exists and
 * is enabled.
 */
public interface TokenVerifier {
    /** @throws AuthException with the code that says why the token is refused */
    Principal verify(String accessToken);
}
