package dev.quire.app;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A link to one document on one server, {@code quire://open?server=URL&doc=ID}: what the installers register the
 * {@code quire://} scheme for (issue 8), so that a link in a mail or a chat opens the document in Quire. The server is
 * the URL a client is configured with (it discovers the rest from {@code /.well-known/quire}).
 */
public record DocumentLink(URI server, String docId) {
    public static final String SCHEME = "quire";

    public DocumentLink {
        String s = server.getScheme();
        if (!"https".equals(s) && !"http".equals(s)) {
            throw new IllegalArgumentException("a document link's server must be an http(s) URL: " + server);
        }
        if (docId == null || docId.isBlank() || docId.length() > 200) {
            throw new IllegalArgumentException("a document link needs a document id");
        }
    }

    /** The link in {@code text}, if it is one (anything else, a file name say, is not). */
    public static Optional<DocumentLink> parse(String text) {
        URI uri;
        try {
            uri = URI.create(text.strip());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!SCHEME.equalsIgnoreCase(uri.getScheme()) || !"open".equals(uri.getAuthority())) {
            return Optional.empty();
        }
        Map<String, String> query = query(uri.getRawQuery());
        try {
            return Optional.of(new DocumentLink(URI.create(query.getOrDefault("server", "")),
                    query.getOrDefault("doc", "")));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code text} names a link of this scheme at all (so that a bad one is refused, not opened as a file). */
    public static boolean looksLikeOne(String text) {
        return text.strip().toLowerCase(java.util.Locale.ROOT).startsWith(SCHEME + ":");
    }

    @Override
    public String toString() {
        return SCHEME + "://open?server=" + URLEncoder.encode(server.toString(), StandardCharsets.UTF_8) + "&doc="
                + URLEncoder.encode(docId, StandardCharsets.UTF_8);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
