package dev.quire.server.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code GET /.well-known/quire} tells a client, so that it needs only the server's URL: the endpoints, the sync
 * URL template, the issuer and the server version. Absolute URLs are built from the base URL the client used (its
 * {@code Host} header), unless the server was given a public URL (behind a proxy).
 *
 * @param publicHttpUrl the HTTP base URL to advertise, or null to use the request's Host
 * @param publicSyncUrl the sync base URL ({@code ws://host:port}), or null to use the request's host with syncPort
 * @param syncSubprotocol the WebSocket subprotocol that brings Quire's own messages (the sync server's)
 */
public record Discovery(String publicHttpUrl, String publicSyncUrl, int syncPort, String syncSubprotocol,
                        String issuer, String version, boolean dev) {

    Map<String, Object> describe(String requestHost) {
        String host = requestHost == null || requestHost.isBlank() ? "127.0.0.1" : requestHost.trim();
        String http = publicHttpUrl != null ? strip(publicHttpUrl) : "http://" + host;
        String sync = publicSyncUrl != null ? strip(publicSyncUrl) : "ws://" + hostOnly(host) + ":" + syncPort;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("issuer", issuer);
        out.put("version", version);
        out.put("dev_mode", dev);
        out.put("token_endpoint", http + "/auth/token");
        out.put("revocation_endpoint", http + "/auth/revoke");
        out.put("ticket_endpoint", http + "/auth/ticket");
        out.put("jwks_uri", http + "/.well-known/jwks.json");
        out.put("workspaces_endpoint", http + "/workspaces");
        out.put("documents_endpoint", http + "/docs");
        out.put("sync_url_template", sync + "/sync/{docId}");
        out.put("sync_subprotocol", syncSubprotocol);
        out.put("health_endpoint", http + "/healthz");
        out.put("metrics_endpoint", http + "/metrics");
        return out;
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** "host:port" or "[v6]:port" without the port. */
    private static String hostOnly(String hostHeader) {
        if (hostHeader.startsWith("[")) {
            int end = hostHeader.indexOf(']');
            return end < 0 ? hostHeader : hostHeader.substring(0, end + 1);
        }
        int colon = hostHeader.lastIndexOf(':');
        return colon < 0 ? hostHeader : hostHeader.substring(0, colon);
    }
}
