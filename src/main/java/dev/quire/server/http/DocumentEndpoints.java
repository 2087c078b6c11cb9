package dev.quire.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quire.protocol.ProtocolCodec;
import dev.quire.server.access.AccessService;
import dev.quire.server.access.AuthorSpan;
import dev.quire.server.access.DocumentView;
import dev.quire.server.access.Role;
import dev.quire.server.auth.Principal;
import dev.quire.server.storage.Appended;
import dev.quire.server.storage.ClockRange;
import dev.quire.server.storage.HistoryEntry;
import dev.quire.server.storage.ShareInfo;
import dev.quire.server.storage.WorkspaceInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Workspaces and documents over HTTP: list, create, rename, delete, share, export and import as a Yjs v1 update,
 * history and "who wrote this". Every check is {@link AccessService}'s; a stranger gets the same 404 whether or not
 * the document exists.
 */
final class DocumentEndpoints {
    private final AccessService access;
    private final Callers callers;
    private final Function<String, Optional<String>> userIdOf;
    private final Function<String, String> userNameOf;
    private final BiConsumer<String, byte[]> documentUpdated;
    private final Consumer<String> accessChanged;

    DocumentEndpoints(AccessService access, Callers callers, Function<String, Optional<String>> userIdOf,
                      Function<String, String> userNameOf, BiConsumer<String, byte[]> documentUpdated,
                      Consumer<String> accessChanged) {
        this.access = access;
        this.callers = callers;
        this.userIdOf = userIdOf;
        this.userNameOf = userNameOf;
        this.documentUpdated = documentUpdated;
        this.accessChanged = accessChanged;
    }

    void register(Router r) {
        r.route("GET", "/workspaces", ex -> ex.json(200, Map.of("workspaces",
                access.workspaces(user(ex)).stream().map(DocumentEndpoints::workspace).toList())));
        r.route("POST", "/workspaces", ex -> {
            String user = user(ex);
            JsonNode body = ex.jsonObject();
            JsonNode id = body.get("id");
            ex.json(201, workspace(id == null || id.isNull() ? access.createWorkspace(user, text(body, "name"))
                    : access.createWorkspace(user, text(body, "name"), textValue(id, "id"))));
        });
        r.route("PATCH", "/workspaces/{id}", ex -> {
            String user = user(ex);
            ex.json(200, workspace(access.renameWorkspace(user, ex.pathParam("id"), text(ex.jsonObject(), "name"))));
        });
        r.route("GET", "/docs", ex -> {
            String user = user(ex);
            String workspace = ex.query().get("workspace");
            List<DocumentView> docs = workspace == null ? access.documents(user) : access.documents(user, workspace);
            ex.json(200, Map.of("documents", docs.stream().map(DocumentEndpoints::document).toList()));
        });
        r.route("POST", "/docs", ex -> {
            String user = user(ex);
            JsonNode body = ex.jsonObject();
            String title = text(body, "title");
            JsonNode ws = body.get("workspace");
            JsonNode id = body.get("id");
            String in = ws == null || ws.isNull() ? null : textValue(ws, "workspace");
            DocumentView created = id != null && !id.isNull()
                    ? access.createDocument(user, title, in, textValue(id, "id"))
                    : in == null ? access.createDocument(user, title) : access.createDocument(user, title, in);
            ex.setHeader("Location", "/docs/" + created.document().id());
            ex.json(201, document(created));
        });
        r.route("GET", "/docs/{id}", ex -> ex.json(200, document(access.document(user(ex), ex.pathParam("id")))));
        r.route("PATCH", "/docs/{id}", ex -> {
            String user = user(ex);
            ex.json(200, document(access.rename(user, ex.pathParam("id"), text(ex.jsonObject(), "title"))));
        });
        r.route("DELETE", "/docs/{id}", ex -> {
            access.delete(user(ex), ex.pathParam("id"));
            accessChanged.accept(ex.pathParam("id")); // its open connections are closed
            ex.noContent();
        });
        r.route("GET", "/docs/{id}/shares", ex -> ex.json(200, Map.of("shares",
                access.shares(user(ex), ex.pathParam("id")).stream().map(this::share).toList())));
        r.route("PUT", "/docs/{id}/shares/{user}", ex -> {
            String user = user(ex);
            Role role = role(text(ex.jsonObject(), "role"));
            String other = userIdOf.apply(ex.pathParam("user"))
                    .orElseThrow(() -> ApiError.badRequest("there is no user " + ex.pathParam("user")));
            ShareInfo shared = access.share(user, ex.pathParam("id"), other, role);
            accessChanged.accept(ex.pathParam("id")); // a writer made reader stops writing at once
            ex.json(200, share(shared));
        });
        r.route("DELETE", "/docs/{id}/shares/{user}", ex -> {
            String user = user(ex);
            String other = userIdOf.apply(ex.pathParam("user")).orElse(ex.pathParam("user"));
            if (!access.unshare(user, ex.pathParam("id"), other)) {
                throw new ApiError(404, "NOT_FOUND", "the document is not shared with " + ex.pathParam("user"));
            }
            accessChanged.accept(ex.pathParam("id")); // the former reader or writer is disconnected
            ex.noContent();
        });
        r.route("GET", "/docs/{id}/export", ex -> ex.send(200, "application/octet-stream",
                access.exportUpdate(user(ex), ex.pathParam("id"))));
        r.route("PUT", "/docs/{id}/export", this::importUpdate);
        r.route("GET", "/docs/{id}/history", ex -> {
            String user = user(ex);
            Map<String, String> q = ex.query();
            long after = number(q.get("after"), 0, "after");
            int limit = (int) Math.min(number(q.get("limit"), 1000, "limit"), 10_000);
            ex.json(200, Map.of("history", access.history(user, ex.pathParam("id"), after, limit).stream()
                    .map(this::history).toList()));
        });
        r.route("GET", "/docs/{id}/authors", ex -> {
            String user = user(ex);
            Map<String, String> q = ex.query();
            long from = number(q.get("from"), 0, "from");
            long to = number(q.get("to"), Integer.MAX_VALUE, "to");
            String text = q.getOrDefault("text", "text");
            ex.json(200, Map.of("authors", access.authors(user, ex.pathParam("id"), text, (int) Math.min(from,
                    Integer.MAX_VALUE), (int) Math.min(to, Integer.MAX_VALUE)).stream().map(this::span).toList()));
        });
        r.route("GET", "/docs/{id}/writer", ex -> {
            String user = user(ex);
            Map<String, String> q = ex.query();
            long client = number(q.get("client"), -1, "client");
            long clock = number(q.get("clock"), -1, "clock");
            if (client < 0 || clock < 0 || clock > Integer.MAX_VALUE) {
                throw ApiError.badRequest("give the item as ?client=CLIENT_ID&clock=CLOCK");
            }
            HistoryEntry e = access.writerOf(user, ex.pathParam("id"), client, (int) clock)
                    .orElseThrow(() -> new ApiError(404, "NOT_FOUND", "the document has no such item"));
            ex.json(200, history(e));
        });
    }

    private void importUpdate(Exchange ex) {
        String user = user(ex);
        String docId = ex.pathParam("id");
        byte[] update = ex.bytes(ProtocolCodec.MAX_FRAME_BYTES);
        Appended appended = access.importUpdate(user, docId, update, "http");
        if (appended.stored()) {
            documentUpdated.accept(docId, update);
        }
        ex.json(200, Map.of("seq", appended.seq(), "stored", appended.stored()));
    }

    private String user(Exchange ex) {
        Principal p = callers.of(ex);
        return p.userId();
    }

    static ApiError noSuchDocument(String docId) {
        return new ApiError(404, "NOT_FOUND", "no document " + docId);
    }

    private static Map<String, Object> workspace(WorkspaceInfo w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", w.id());
        m.put("name", w.name());
        m.put("default", w.isDefault());
        m.put("owner", w.ownerUserId());
        m.put("created_at", w.createdAt().toString());
        return m;
    }

    private static Map<String, Object> document(DocumentView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.document().id());
        m.put("title", v.document().title());
        m.put("workspace", v.document().workspaceId());
        m.put("owner", v.document().ownerUserId());
        m.put("role", v.role().name().toLowerCase(Locale.ROOT));
        m.put("created_at", v.document().createdAt().toString());
        m.put("updated_at", v.document().updatedAt().toString());
        return m;
    }

    private Map<String, Object> share(ShareInfo s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", s.userId());
        m.put("name", userNameOf.apply(s.userId()));
        m.put("role", s.role().name().toLowerCase(Locale.ROOT));
        m.put("shared_at", s.sharedAt().toString());
        return m;
    }

    private Map<String, Object> history(HistoryEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.seq());
        m.put("user", e.userId());
        m.put("name", userNameOf.apply(e.userId()));
        m.put("connection", e.connectionId());
        m.put("time", e.serverTime().toString());
        m.put("bytes", e.byteLength());
        m.put("added", e.added().stream().map(DocumentEndpoints::range).toList());
        return m;
    }

    private Map<String, Object> span(AuthorSpan s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", s.from());
        m.put("to", s.to());
        m.put("user", s.writer().map(HistoryEntry::userId).orElse(null));
        m.put("name", s.writer().map(e -> userNameOf.apply(e.userId())).orElse(null));
        m.put("seq", s.writer().map(HistoryEntry::seq).orElse(null));
        m.put("time", s.writer().map(e -> e.serverTime().toString()).orElse(null));
        return m;
    }

    private static Map<String, Object> range(ClockRange r) {
        return Map.of("client", r.clientId(), "from", r.start(), "to", r.end());
    }

    private static Role role(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "reader" -> Role.READER;
            case "writer" -> Role.WRITER;
            default -> throw ApiError.badRequest("the role must be \"reader\" or \"writer\"");
        };
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null) {
            throw ApiError.badRequest("the field '" + field + "' is missing");
        }
        return textValue(n, field);
    }

    private static String textValue(JsonNode n, String field) {
        if (!n.isTextual()) {
            throw ApiError.badRequest("the field '" + field + "' must be a string");
        }
        return n.asText();
    }

    private static long number(String value, long absent, String name) {
        if (value == null) {
            return absent;
        }
        try {
            long v = Long.parseLong(value);
            if (v < 0) {
                throw ApiError.badRequest("'" + name + "' must not be negative");
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("'" + name + "' must be a whole number");
        }
    }
}
