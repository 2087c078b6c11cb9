package dev.quire.crdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Yjs documents may hold types Quire does not model (XML, hooks, sub-documents). Decoding must never fail on them,
 * and passing such a document through Quire must not change a byte.
 */
class UnknownTypesRoundTripTest {

    private static byte[] yjsUpdateWithUnknownTypes() throws IOException, InterruptedException {
        Path script = Path.of("src/test/js/roundtrip/unknown-types.mjs");
        assertTrue(Files.isDirectory(Path.of("src/test/js/node_modules/yjs")),
                "the yjs peer is missing: run npm ci --prefix src/test/js");
        Process node = new ProcessBuilder("node", script.toString()).redirectErrorStream(true).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, node.waitFor(), "node failed: " + out);
        return Base64.getDecoder().decode(out);
    }

    @Test
    void reencodesXmlHooksAndSubdocumentsByteForByte() throws Exception {
        byte[] update = yjsUpdateWithUnknownTypes();
        Doc doc = new Doc(5);
        Updates.applyUpdate(doc, update);
        assertArrayEquals(update, Updates.encodeStateAsUpdate(doc));
        assertEquals(List.of("prosemirror", "meta", "list"), doc.rootNames());
    }

    @Test
    void unknownContentSurvivesFurtherEditsAndARelay() throws Exception {
        byte[] update = yjsUpdateWithUnknownTypes();
        Doc a = new Doc(5);
        Updates.applyUpdate(a, update);
        a.getMap("meta").set("edited", true);
        Doc b = new Doc(6);
        Updates.applyUpdate(b, Updates.encodeStateAsUpdate(a));
        assertArrayEquals(Updates.encodeStateAsUpdate(a), Updates.encodeStateAsUpdate(b));
        assertEquals(true, b.getMap("meta").get("edited"));
        assertEquals(List.of(1, 2, 3), toList((byte[]) b.getMap("meta").get("bytes")));
    }

    private static List<Integer> toList(byte[] bytes) {
        return List.of((int) bytes[0], (int) bytes[1], (int) bytes[2]);
    }
}
