package dev.quire.server.sync;

import dev.quire.server.auth.BearerHeader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What a client asked for when it opened the socket: which document, with which credential. Parsed from the request
 * line's path and query and the {@code Authorization} header; nothing here checks the credential.
 *
 * @param docId      the document id from {@code /sync/{docId}} (percent-decoded)
 * @param credential how the client says who it is
 */
record ConnectRequest(String docId, Credential credential) {
    static final String PATH_PREFIX = "/sync/";
    /** Longer ids than this are not ids the server hands out; refused before any lookup. */
    static final int MAX_DOC_ID_LENGTH = 200;

    /** How a client identifies itself. Each {@code toString} leaves the secret out. */
    sealed interface Credential {
    }

    /** {@code Authorization: Bearer <token>}. */
    record Bearer(String token) implements Credential {
        @Override
        public String toString() {
            return "Bearer[<redacted>]";
        }
    }

    /** {@code ?ticket=}: a one-time ticket from {@code POST /auth/ticket}. */
    record Ticket(String ticket) implements Credential {
        @Override
        public String toString() {
            return "Ticket[<redacted>]";
        }
    }

    /**
     * An access token in the URL ({@code ?access_token=} as RFC 6750 §2.3 allows, or {@code ?token=}): refused,
     * because URLs end up in proxy and server logs (RFC 6750 §5.3 advises against it); clients use tickets.
     */
    record TokenInUrl() implements Credential {
    }

    /** An {@code Authorization} header that is not a bearer token. */
    record UnsupportedScheme() implements Credential {
    }

    /** No credential at all. */
    record None() implements Credential {
    }

    /**
     * @param resource      the request target, {@code /sync/{docId}[?query]}
     * @param authorization the {@code Authorization} header, or null/empty if absent
     * @return empty when the target is not a sync URL
     */
    static Optional<ConnectRequest> parse(String resource, String authorization) {
        if (resource == null) {
            return Optional.empty();
        }
        int q = resource.indexOf('?');
        String path = q < 0 ? resource : resource.substring(0, q);
        String query = q < 0 ? "" : resource.substring(q + 1);
        if (!path.startsWith(PATH_PREFIX)) {
            return Optional.empty();
        }
        String rawId = path.substring(PATH_PREFIX.length());
        if (rawId.endsWith("/")) { // y-websocket clients join serverUrl + '/' + room; tolerate a trailing slash
            rawId = rawId.substring(0, rawId.length() - 1);
        }
        String docId;
        try {
            docId = decode(rawId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (docId.isEmpty() || docId.length() > MAX_DOC_ID_LENGTH || docId.indexOf('/') >= 0
                || docId.chars().anyMatch(Character::isISOControl)) {
            return Optional.empty();
        }
        return Optional.of(new ConnectRequest(docId, credential(query, authorization)));
    }

    private static Credential credential(String query, String authorization) {
        String ticket = null;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (name.equals("access_token") || name.equals("token")) {
                return new TokenInUrl(); // even next to a valid header: the token has already leaked into logs
            }
            if (name.equals("ticket") && eq >= 0) {
                try {
                    ticket = decode(pair.substring(eq + 1));
                } catch (IllegalArgumentException e) {
                    ticket = ""; // unreadable: Tickets refuses it as unknown
                }
            }
        }
        if (authorization != null && !authorization.isBlank()) {
            return BearerHeader.token(authorization).<Credential>map(Bearer::new).orElseGet(UnsupportedScheme::new);
        }
        if (ticket != null) {
            return new Ticket(ticket);
        }
        return new None();
    }

    /** Percent-decoding of a URL part; a literal '+' stays '+' (it is not a space in a path). */
    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
