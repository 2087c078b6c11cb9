package dev.quire.session;

import java.util.Objects;

/**
 * A successful token endpoint answer (RFC 6749 §5.1): what a {@link TokenEndpoint} returns.
 *
 * @param accessToken  the JWT
 * @param refreshToken the refresh token to use next; single use, since refresh tokens rotate
 * @param expiresIn    {@code expires_in} in seconds, used only when the JWT carries no {@code iat}
 */
public record TokenGrant(String accessToken, String refreshToken, long expiresIn) {
    public TokenGrant {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(refreshToken, "refreshToken");
    }

    @Override
    public String toString() {
        return "TokenGrant[<redacted>, expiresIn=" + expiresIn + "]";
    }
}
