package dev.quire.ui;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.crdt.YText;
import dev.quire.engine.OpenDocument;
import dev.quire.markdown.Markdown;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.stage.FileChooser;

/**
 * A document as a file and back, by the file's extension: {@code .md} Markdown (with the formats), {@code .txt} plain
 * text, anything else the Yjs update (v1) of the whole document, which any Yjs application can load. Export writes
 * what this computer has, queued edits included, so it works offline.
 */
final class DocumentFiles {
    /** The origin of an imported file's content: a local edit, so it is queued and sent as the user's. */
    static final Object IMPORT = "import";

    private DocumentFiles() {
    }

    static List<FileChooser.ExtensionFilter> filters() {
        return List.of(new FileChooser.ExtensionFilter("Markdown", "*.md"),
                new FileChooser.ExtensionFilter("Plain text", "*.txt"),
                new FileChooser.ExtensionFilter("Yjs update", "*.yjs", "*.bin"));
    }

    static void export(Doc doc, Path file) throws IOException {
        byte[] bytes;
        synchronized (doc) {
            YText text = doc.getText(OpenDocument.TEXT);
            bytes = switch (kind(file)) {
                case "md" -> Markdown.fromDelta(text.toDelta()).getBytes(StandardCharsets.UTF_8);
                case "txt" -> text.toString().getBytes(StandardCharsets.UTF_8);
                default -> Updates.encodeStateAsUpdate(doc);
            };
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Adds the file's content to {@code doc} (empty, new) as one local edit. A Yjs file is checked on a scratch
     * document first: a damaged one is refused with a clear message and changes nothing.
     */
    static void importInto(Path file, Doc doc) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String k = kind(file);
        if (!k.equals("md") && !k.equals("txt")) {
            try {
                Updates.applyUpdate(new Doc(), bytes, null);
            } catch (RuntimeException e) {
                throw new IOException(file.getFileName() + " is not a Yjs update, or it is damaged");
            }
        }
        synchronized (doc) {
            YText text = doc.getText(OpenDocument.TEXT);
            doc.transact(t -> {
                switch (k) {
                    case "md" -> {
                        int at = text.length();
                        for (Map<String, Object> op : Markdown.toDelta(new String(bytes, StandardCharsets.UTF_8))) {
                            String s = (String) op.get("insert");
                            @SuppressWarnings("unchecked")
                            Map<String, Object> attrs = op.get("attributes") instanceof Map<?, ?> m
                                    ? (Map<String, Object>) m : Map.of();
                            text.insert(at, s, attrs);
                            at += s.length();
                        }
                    }
                    case "txt" -> text.insert(text.length(), new String(bytes, StandardCharsets.UTF_8));
                    default -> Updates.applyUpdate(doc, bytes, IMPORT);
                }
            }, IMPORT);
        }
    }

    /** The document's title from a file name: the name without its extension. */
    static String titleOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static String kind(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".md") || name.endsWith(".markdown") ? "md" : name.endsWith(".txt") ? "txt" : "yjs";
    }
}
