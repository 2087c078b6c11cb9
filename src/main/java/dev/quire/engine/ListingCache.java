package dev.quire.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quire.net.DocumentsApi.DocumentInfo;
import dev.quire.net.DocumentsApi.WorkspaceInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The last document list the server gave, per workspace, in the profile's {@code listing.json}: what the list shows
 * offline. A cache only: unreadable or missing, it costs the offline list, nothing else.
 */
final class ListingCache {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    ListingCache(Path profileDir) {
        this.file = profileDir.resolve("listing.json");
    }

    synchronized void save(Account.Listing listing) {
        ObjectNode root = read().orElseGet(JSON::createObjectNode);
        ArrayNode spaces = root.putArray("workspaces");
        for (WorkspaceInfo w : listing.workspaces()) {
            spaces.addObject().put("id", w.id()).put("name", w.name()).put("default", w.isDefault());
        }
        ObjectNode byWorkspace = root.has("documents") && root.get("documents").isObject()
                ? (ObjectNode) root.get("documents") : root.putObject("documents");
        ArrayNode docs = byWorkspace.putArray(listing.workspace());
        for (DocumentInfo d : listing.documents()) {
            docs.addObject().put("id", d.id()).put("title", d.title()).put("role", d.role())
                    .put("workspace", d.workspace());
        }
        try {
            Path tmp = file.resolveSibling("listing.json.tmp");
            JSON.writeValue(tmp.toFile(), root);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // only the offline list is lost
        }
    }

    /** The kept list of {@code workspaceId} (null: the default workspace), if there is one. */
    synchronized Optional<Account.Listing> load(String workspaceId) {
        return read().flatMap(root -> {
            List<WorkspaceInfo> spaces = new ArrayList<>();
            for (JsonNode w : root.path("workspaces")) {
                spaces.add(WorkspaceInfo.of(w));
            }
            String ws = workspaceId != null ? workspaceId : spaces.stream().filter(WorkspaceInfo::isDefault)
                    .map(WorkspaceInfo::id).findFirst().orElse(null);
            JsonNode docs = ws == null ? null : root.path("documents").get(ws);
            if (docs == null) {
                return Optional.empty();
            }
            List<DocumentInfo> out = new ArrayList<>();
            for (JsonNode d : docs) {
                out.add(DocumentInfo.of(d));
            }
            return Optional.of(new Account.Listing(spaces, ws, out, true));
        });
    }

    private Optional<ObjectNode> read() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return n instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
