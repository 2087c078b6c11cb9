package dev.quire.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Client to server on a live connection: a fresh access token that extends the connection's expiry (issue 5,
 * in-band renewal). The server answers with a new {@link AuthOk}, or closes the connection.
 *
 * <p>The token is a credential: {@link #toString()} shows only a {@link #fingerprint()}, so a logged message or a
 * failed assertion never reveals it.
 */
public record Renew(String accessToken) implements QuireMessage {
    public Renew {
        Objects.requireNonNull(accessToken, "accessToken");
    }

    /** The first 8 hex digits of the token's SHA-256: enough to tell two tokens apart in a log, useless to replay. */
    public String fingerprint() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "Renew[accessToken=<redacted sha256:" + fingerprint() + ">]";
    }
}
