package dev.quire.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every real editing trace in ../shared/traces replays to its recorded final text, and its state reloads. */
class SharedTracesTest {

    static Stream<Path> traces() throws IOException {
        Path dir = Path.of(System.getProperty("quire.traces", "../shared/traces"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("trace folder " + dir.toAbsolutePath() + " is missing: clone the repo "
                    + "beside shared/ or set -Dquire.traces");
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".json.gz")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("traces")
    void replaysToTheRecordedTextAndReloadsByteForByte(Path file) throws IOException {
        Trace trace = Trace.read(file);
        assertFalse(trace.txns().isEmpty());

        Doc doc = TraceReplay.replay(trace);

        assertEquals(trace.endContent(), doc.getText(TraceReplay.TEXT).toString());
        byte[] state = Updates.encodeStateAsUpdate(doc);
        Doc loaded = new Doc(1234);
        Updates.applyUpdate(loaded, state);
        assertEquals(trace.endContent(), loaded.getText(TraceReplay.TEXT).toString());
        assertArrayEquals(state, Updates.encodeStateAsUpdate(loaded));
    }
}
