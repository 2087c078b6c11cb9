package dev.quire.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.engine.OpenDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A document to a file and back by extension: Markdown keeps the formats, text the words, Yjs everything. */
class DocumentFilesTest {
    @TempDir
    Path dir;

    private static Doc sample() {
        Doc d = new Doc();
        d.getText(OpenDocument.TEXT).insert(0, "Plan\nship ");
        d.getText(OpenDocument.TEXT).format(4, 1, Map.of("header", 2));
        d.getText(OpenDocument.TEXT).insert(10, "it", Map.of("bold", true));
        return d;
    }

    @Test
    void eachFormatRoundTrips() throws IOException {
        Doc original = sample();
        for (String name : List.of("plan.md", "plan.yjs")) {
            Path file = dir.resolve(name);
            DocumentFiles.export(original, file);
            Doc back = new Doc();
            DocumentFiles.importInto(file, back);
            // numbers may come back as another Number type (the binary format's); their values are what counts
            assertEquals(original.getText(OpenDocument.TEXT).toDelta().toString(),
                    back.getText(OpenDocument.TEXT).toDelta().toString(), name);
        }
        Path txt = dir.resolve("plan.txt");
        DocumentFiles.export(original, txt);
        assertEquals("Plan\nship it", Files.readString(txt));
        assertEquals("## Plan\nship **it**", Files.readString(dir.resolve("plan.md")));
        assertEquals("plan", DocumentFiles.titleOf(txt));
    }

    @Test
    void aYjsFileIsAnUpdateAnyYjsApplicationLoadsAndADamagedOneChangesNothing() throws IOException {
        Path file = dir.resolve("plan.yjs");
        DocumentFiles.export(sample(), file);
        Doc other = new Doc();
        Updates.applyUpdate(other, Files.readAllBytes(file), null);
        assertEquals("Plan\nship it", other.getText(OpenDocument.TEXT).toString());

        Path damaged = dir.resolve("damaged.yjs");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(damaged, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Doc target = new Doc();
        IOException e = assertThrows(IOException.class, () -> DocumentFiles.importInto(damaged, target));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
        assertEquals("", target.getText(OpenDocument.TEXT).toString());

        Files.write(dir.resolve("notes.txt"), "line one\nline two".getBytes(StandardCharsets.UTF_8));
        DocumentFiles.importInto(dir.resolve("notes.txt"), target);
        assertEquals("line one\nline two", target.getText(OpenDocument.TEXT).toString());
    }
}
