package dev.quire.server.auth;

import java.util.Objects;

/**
 * A successful token endpoint answer, the fields of RFC 6749 §5.1 plus who it is for.
 *
 * @param accessToken  the signed JWT
 * @param tokenType    always {@code Bearer} (RFC 6750)
 * @param expiresIn    the access token's lifetime in seconds
 * @param refreshToken the opaque refresh token to use next (single use)
 * @param userId       whom the tokens are for (for logs and metrics; not part of the §5.1 body)
 */
public record TokenResponse(String accessToken, String tokenType, long expiresIn, String refreshToken,
                            String userId) {
    public TokenResponse {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(tokenType, "tokenType");
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(userId, "userId");
    }

    @Override
    public String toString() {
        // Both tokens are credentials.
        return "TokenResponse[tokenType=" + tokenType + ", expiresIn=" + expiresIn + ", userId=" + userId + "]";
    }
}
