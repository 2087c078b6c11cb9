package dev.quire.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An access token (a JWT) with what the client learned from it. Times are on the <em>client's</em> clock: the server's
 * {@code exp} minus the skew measured when the token arrived, so they can be compared with {@code clock.instant()}.
 *
 * @param value     the compact JWT, to put in an {@code Authorization: Bearer} header; never log it
 * @param userId    the token's {@code sub}
 * @param userName  the token's {@code name} claim, or the user id when there is none
 * @param expiresAt when it expires, on the client's clock
 * @param lifetime  {@code exp - iat}: how long the server issues tokens for
 * @param skew      the server's clock minus the client's ({@code iat} minus the time the request was sent)
 */
public record AccessToken(String value, String userId, String userName, Instant expiresAt, Duration lifetime,
                          Duration skew) {
    public AccessToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(userName, "userName");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(skew, "skew");
    }

    /** Whether it is still accepted at {@code now} (client clock). */
    public boolean validAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        // The value is a credential.
        return "AccessToken[<redacted>, userId=" + userId + ", expiresAt=" + expiresAt + ", lifetime=" + lifetime
                + ", skew=" + skew + "]";
    }
}
