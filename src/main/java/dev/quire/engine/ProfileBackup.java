package dev.quire.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.store.ListChange;
import dev.quire.store.ListChange.Kind;
import dev.quire.store.LocalStore;
import dev.quire.store.OutboxEntry;
import dev.quire.store.Profile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A whole profile as one file, to carry to another machine: every document this computer holds (its state as one
 * Yjs update), the user's unsent edits, in order, and the list changes not yet made on the server (a document created,
 * renamed or deleted offline). A zip: {@code quire-backup.json} (format, server, user, the documents and how many
 * unsent edits each has, the list changes), {@code docs/N/state.bin}, {@code docs/N/unsent/K.bin}.
 *
 * <p>Why the list changes: a document created offline is not on the server yet; restored without its creation, its
 * edits would wait for a document that the list never shows. (Backups written before them carry none; a Quire that
 * predates them ignores the field.)
 *
 * <p>Restoring needs the same server and user: the unsent edits are that user's, and are sent as theirs. A file that
 * is not a Quire backup, or is damaged, is refused before anything is written.
 */
public final class ProfileBackup {
    static final String MANIFEST = "quire-backup.json";
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a backup or restore carried. */
    public record Summary(int documents, int unsentEdits, int listChanges) {
    }

    /** The file cannot be restored here: not a backup, damaged, or another server's or user's. */
    public static final class BackupException extends Exception {
        private static final long serialVersionUID = 1L;

        BackupException(String message) {
            super(message);
        }
    }

    private ProfileBackup() {
    }

    static Summary write(LocalStore store, Profile profile, Path file) throws IOException {
        List<String> docs = store.documents();
        ObjectNode manifest = JSON.createObjectNode().put("format", FORMAT)
                .put("server", profile.server().toString()).put("user", profile.userId());
        var list = manifest.putArray("documents");
        int unsent = 0;
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
            for (int i = 0; i < docs.size(); i++) {
                String id = docs.get(i);
                put(zip, "docs/" + i + "/state.bin", store.load(id));
                List<OutboxEntry> pending = store.pending(id, profile.userId());
                for (int k = 0; k < pending.size(); k++) {
                    put(zip, "docs/" + i + "/unsent/" + k + ".bin", pending.get(k).update());
                }
                unsent += pending.size();
                list.addObject().put("id", id).put("dir", i).put("unsent", pending.size());
            }
            var changes = manifest.putArray("listChanges");
            for (ListChange c : changes(store, profile)) {
                changes.addObject().put("kind", c.kind().name()).put("doc", c.docId())
                        .put("workspace", c.workspaceId()).put("title", c.title());
            }
            put(zip, MANIFEST, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Summary(docs.size(), unsent, manifest.path("listChanges").size());
    }

    private static List<ListChange> changes(LocalStore store, Profile profile) {
        return store.listChanges().pending(profile.userId());
    }

    static Summary restore(LocalStore store, Profile profile, Path file) throws IOException, BackupException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new BackupException("this file is not a Quire backup, or it is damaged (" + e.getMessage() + ")");
        }
        byte[] m = entries.get(MANIFEST);
        if (m == null) {
            throw new BackupException("this file is not a Quire backup: it has no " + MANIFEST);
        }
        JsonNode manifest;
        try {
            manifest = JSON.readTree(m);
        } catch (IOException e) {
            throw new BackupException("the backup's " + MANIFEST + " is damaged");
        }
        if (manifest.path("format").asInt() != FORMAT) {
            throw new BackupException("this backup was made by a newer Quire (format "
                    + manifest.path("format").asText() + ")");
        }
        if (!manifest.path("user").asText().equals(profile.userId())
                || !manifest.path("server").asText().equals(profile.server().toString())) {
            throw new BackupException("this backup is of user " + manifest.path("user").asText() + " on "
                    + manifest.path("server").asText() + "; sign in as that user on that server to restore it");
        }
        // check every update before writing any, so a damaged file changes nothing
        record Restored(String id, byte[] state, List<byte[]> unsent) {
        }
        List<Restored> docs = new ArrayList<>();
        for (JsonNode d : manifest.path("documents")) {
            String dir = "docs/" + d.path("dir").asInt() + "/";
            byte[] state = entries.get(dir + "state.bin");
            List<byte[]> unsent = new ArrayList<>();
            for (int k = 0; k < d.path("unsent").asInt(); k++) {
                unsent.add(entries.get(dir + "unsent/" + k + ".bin"));
            }
            if (state == null || unsent.contains(null)) {
                throw new BackupException("document " + d.path("id").asText() + " is missing from the backup: it is"
                        + " damaged");
            }
            Doc check = new Doc();
            try {
                Updates.applyUpdate(check, state, null);
                for (byte[] u : unsent) {
                    Updates.applyUpdate(check, u, null);
                }
            } catch (RuntimeException e) {
                throw new BackupException("document " + d.path("id").asText() + " in the backup is damaged");
            }
            docs.add(new Restored(d.path("id").asText(), state, unsent));
        }
        record Change(Kind kind, String doc, String workspace, String title) {
        }
        List<Change> changes = new ArrayList<>();
        for (JsonNode c : manifest.path("listChanges")) {
            Kind kind;
            try {
                kind = Kind.valueOf(c.path("kind").asText());
            } catch (IllegalArgumentException e) {
                throw new BackupException("the backup holds a list change of a kind this Quire does not know ("
                        + c.path("kind").asText() + "): it was made by a newer Quire, or is damaged");
            }
            String doc = c.path("doc").asText("");
            String title = c.path("title").isTextual() ? c.path("title").asText() : null;
            if (doc.isEmpty() || (kind != Kind.DELETE && title == null)) {
                throw new BackupException("a list change in the backup is incomplete: it is damaged");
            }
            changes.add(new Change(kind, doc, c.path("workspace").isTextual() ? c.path("workspace").asText() : null,
                    title));
        }
        int unsentEdits = 0;
        for (Restored r : docs) {
            store.appendRemote(r.id(), r.state());
            for (byte[] u : r.unsent()) {
                store.appendLocal(r.id(), profile.userId(), u); // sent as this user's the next time it opens
            }
            unsentEdits += r.unsent().size();
        }
        // queued after this profile's own, skipping any it has already (restoring twice queues nothing twice)
        List<ListChange> queued = changes(store, profile);
        int restoredChanges = 0;
        for (Change c : changes) {
            boolean already = queued.stream().anyMatch(q -> q.kind() == c.kind() && q.docId().equals(c.doc())
                    && java.util.Objects.equals(q.title(), c.title()));
            if (!already) {
                store.listChanges().add(profile.userId(), c.kind(), c.doc(), c.workspace(), c.title());
                restoredChanges++;
            }
        }
        return new Summary(docs.size(), unsentEdits, restoredChanges);
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

}
