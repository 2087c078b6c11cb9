package dev.quire.net;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a Quire server's {@code GET /.well-known/quire} says: where its endpoints are and who it is.
 *
 * @param server          the URL the user gave
 * @param token           {@code POST} token endpoint (RFC 6749 password and refresh_token grants)
 * @param revoke          {@code POST} revocation endpoint (RFC 7009)
 * @param ticket          {@code POST} one-time WebSocket tickets
 * @param documents       the document API ({@code /docs})
 * @param workspaces      the workspace API
 * @param syncUrlTemplate the sync WebSocket URL with a {@code {docId}} placeholder
 * @param syncSubprotocol the WebSocket subprotocol that brings Quire's own messages ({@code quire.v1})
 * @param issuer          the {@code iss} of the server's tokens
 * @param version         the server's version
 * @param devMode         whether the server runs in development mode (no login)
 */
public record ServerEndpoints(URI server, URI token, URI revoke, URI ticket, URI documents, URI workspaces,
                              String syncUrlTemplate, String syncSubprotocol, String issuer, String version,
                              boolean devMode) {
    public ServerEndpoints {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(revoke, "revoke");
        Objects.requireNonNull(documents, "documents");
        Objects.requireNonNull(syncUrlTemplate, "syncUrlTemplate");
        Objects.requireNonNull(syncSubprotocol, "syncSubprotocol");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(version, "version");
    }

    /** The sync URL of one document (its id URL-encoded into the template). */
    public URI syncUrl(String docId) {
        return URI.create(syncUrlTemplate.replace("{docId}", URLEncoder.encode(docId, StandardCharsets.UTF_8)
                .replace("+", "%20")));
    }
}
