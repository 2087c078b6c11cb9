package dev.quire.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
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
 * Yjs update) and the user's unsent edits, in order. A zip: {@code quire-backup.json} (format, server, user, the
 * documents and how many unsent edits each has), {@code docs/N/state.bin}, {@code docs/N/unsent/K.bin}.
 *
 * <p>Restoring needs the same server and user: the unsent edits are that user's, and are sent as theirs. A file that
 * is not a Quire backup, or is damaged, is refused before anything is written.
 */
public final class ProfileBackup {
    static final String MANIFEST = "quire-backup.json";
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a backup or restore carried. */
    public record Summary(int documents, int unsentEdits) {
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
            put(zip, MANIFEST, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Summary(docs.size(), unsent);
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
        int unsentEdits = 0;
        for (Restored r : docs) {
            store.appendRemote(r.id(), r.state());
            for (byte[] u : r.unsent()) {
                store.appendLocal(r.id(), profile.userId(), u); // sent as this user's the next time it opens
            }
            unsentEdits += r.unsent().size();
        }
        return new Summary(docs.size(), unsentEdits);
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

}
