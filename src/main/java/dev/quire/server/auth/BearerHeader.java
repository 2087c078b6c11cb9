package dev.quire.server.auth;

import java.util.Optional;

/**
 * Reads an {@code Authorization} header as RFC 6750 §2.1 writes it, {@code Bearer <token>} with the scheme in any
 * case: one reading for the HTTP API and the sync socket, so both take and refuse the same headers.
 */
public final class BearerHeader {
    private static final String SCHEME = "Bearer ";

    private BearerHeader() {
    }

    /**
     * The token of a bearer header (empty text when the header names the scheme only); empty when the header is
     * absent or uses another scheme.
     */
    public static Optional<String> token(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.strip();
        if (!h.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        return Optional.of(h.substring(SCHEME.length()).strip());
    }
}
