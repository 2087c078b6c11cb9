package dev.quire.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quire.server.access.AccessService;
import dev.quire.server.auth.OAuthException;
import dev.quire.server.auth.Principal;
import dev.quire.server.auth.TokenResponse;
import dev.quire.server.auth.TokenService;
import dev.quire.server.auth.Tickets;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /auth/token} (RFC 6749 §4.3 password and §6 refresh grants, answered as §5.1/§5.2), {@code POST
 * /auth/revoke} (RFC 7009) and {@code POST /auth/ticket} (a one-time ticket for a WebSocket that cannot send headers).
 * Logs say who and what happened, never a credential.
 */
final class AuthEndpoints {
    private static final Logger log = LoggerFactory.getLogger(AuthEndpoints.class);

    private final TokenService tokens;
    private final Tickets tickets;
    private final AccessService access;
    private final Callers callers;
    private final MeterRegistry metrics;

    AuthEndpoints(TokenService tokens, Tickets tickets, AccessService access, Callers callers, MeterRegistry metrics) {
        this.tokens = tokens;
        this.tickets = tickets;
        this.access = access;
        this.callers = callers;
        this.metrics = metrics;
    }

    void register(Router router) {
        if (tokens != null) {
            router.route("POST", "/auth/token", this::token);
            router.route("POST", "/auth/revoke", this::revoke);
        }
        router.route("POST", "/auth/ticket", this::ticket);
    }

    private void token(Exchange ex) {
        Map<String, String> form;
        try {
            form = ex.form();
        } catch (ApiError e) {
            throw oauthError(new OAuthException(OAuthException.INVALID_REQUEST, e.getMessage(), e.status));
        }
        String grant = String.valueOf(form.get("grant_type"));
        String kind = grant.equals("refresh_token") ? "refresh" : "password";
        try {
            TokenResponse r = tokens.token(form);
            metrics.counter("quire.token.grants", "grant", kind, "result", "ok").increment();
            log.atInfo().addKeyValue("grant", kind).addKeyValue("user", r.userId()).log("tokens issued");
            if (kind.equals("password")) {
                access.defaultWorkspace(r.userId()); // "a default one is created on first login"
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("access_token", r.accessToken());
            body.put("token_type", r.tokenType());
            body.put("expires_in", r.expiresIn());
            body.put("refresh_token", r.refreshToken());
            ex.json(200, body);
        } catch (OAuthException e) {
            metrics.counter("quire.token.grants", "grant", kind, "result", e.error()).increment();
            log.atInfo().addKeyValue("grant", kind).addKeyValue("error", e.error())
                    .addKeyValue("reason", e.reason().name()).log("token request refused");
            throw oauthError(e);
        }
    }

    private void revoke(Exchange ex) {
        Map<String, String> form = ex.form();
        String token = form.get("token");
        if (token == null || token.isEmpty()) {
            throw oauthError(new OAuthException(OAuthException.INVALID_REQUEST, "the 'token' parameter is missing",
                    400));
        }
        boolean revoked = tokens.revoke(token);
        metrics.counter("quire.token.revocations", "known", String.valueOf(revoked)).increment();
        log.atInfo().addKeyValue("known", revoked).log("refresh token revoked");
        // RFC 7009 §2.2: 200 whether or not the token was known, so it cannot be used to probe tokens.
        ex.send(200, "application/json", new byte[0]);
    }

    private void ticket(Exchange ex) {
        Principal caller = callers.of(ex);
        JsonNode body = ex.jsonObject();
        JsonNode doc = body.get("doc");
        if (doc == null || !doc.isTextual() || doc.asText().isBlank()) {
            throw ApiError.badRequest("the body must name the document: {\"doc\": ID}");
        }
        String docId = doc.asText();
        if (access.roleOf(caller.userId(), docId).isEmpty()) {
            throw DocumentEndpoints.noSuchDocument(docId);
        }
        Tickets.Ticket t = tickets.issue(caller, docId);
        log.atInfo().addKeyValue("user", caller.userId()).addKeyValue("doc", docId).log("ticket issued");
        ex.json(200, Map.of("ticket", t.value(), "expires_in", t.expiresIn().toSeconds()));
    }

    private static ApiError oauthError(OAuthException e) {
        // RFC 6749 §5.2 fields, plus the {"error","message"} every Quire error body has.
        return new ApiError(e.httpStatus(), e.error(), e.description(),
                Map.of("error_description", e.description()));
    }
}
