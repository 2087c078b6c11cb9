package dev.quire.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.crdt.YText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quire trace} and {@code quire update apply} on real files. */
class SubcommandsTest {
    @TempDir
    Path dir;


    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void updateApplyPrintsExactlyTheTextOfUpdatesAppliedInOrderAndWritesTheMergedState() throws Exception {
        Doc author = new Doc(9);
        YText text = author.getText("content");
        List<byte[]> updates = new ArrayList<>();
        author.onUpdate((u, origin, t) -> updates.add(u));
        text.insert(0, "Hello 😀\n");
        text.insert(text.length(), "second line");
        text.delete(0, 1);
        Path first = Files.write(dir.resolve("1.bin"), updates.get(0));
        Path second = Files.write(dir.resolve("2.bin"), updates.get(1));
        Path third = Files.write(dir.resolve("3.bin"), updates.get(2));
        Path out = dir.resolve("state.bin");

        CliRun run = run("update", "apply", "--out", out.toString(), first.toString(), second.toString(), third.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("ello 😀\nsecond line", run.out());
        assertArrayEquals(Updates.encodeStateAsUpdate(author), Files.readAllBytes(out));
    }

    @Test
    void updateApplyReadsAnotherRootTextAndWaitsForMissingDependencies() throws Exception {
        Doc author = new Doc(3);
        List<byte[]> updates = new ArrayList<>();
        author.onUpdate((u, origin, t) -> updates.add(u));
        author.getText("notes").insert(0, "ab");
        author.getText("notes").insert(1, "X");
        // the later update first: it waits until its dependency arrives
        Path later = Files.write(dir.resolve("later.bin"), updates.get(1));
        Path earlier = Files.write(dir.resolve("earlier.bin"), updates.get(0));

        CliRun run = run("update", "apply", "--text", "notes", later.toString(), earlier.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("aXb", run.out());
    }

    @Test
    void updateApplyRejectsACorruptFileWithAClearMessage() throws Exception {
        Path bad = Files.write(dir.resolve("bad.bin"), new byte[] {1, 5, (byte) 0xFF});

        CliRun run = run("update", "apply", bad.toString());

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("bad.bin is not a valid Yjs v1 update"), run.err());
        assertEquals("", run.out());
    }

    private Path gzipJson(String name, String json) throws Exception {
        Path file = dir.resolve(name + ".json.gz");
        try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(file))) {
            gz.write(json.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    @Test
    void traceReplaysCodePointPositionsWithAstralCharacters() throws Exception {
        // positions count code points: after "😀😀", position 2 is UTF-16 offset 4
        Path trace = gzipJson("astral", """
                {"startContent":"","endContent":"😀😀x🎉y","txns":[
                  {"patches":[[0,0,"😀😀yz"]]},
                  {"patches":[[2,0,"x🎉"]]},
                  {"patches":[[5,1,""],[4,0,"q"],[4,1,""]]}
                ]}""");
        Path out = dir.resolve("state.bin");

        CliRun run = run("trace", trace.toString(), "--out", out.toString());

        assertEquals(0, run.exitCode(), run.err() + run.out());
        JsonNode line = new ObjectMapper().readTree(run.out());
        assertEquals("astral", line.get("trace").asText());
        assertEquals("sequential", line.get("kind").asText());
        assertEquals(5, line.get("ops").asInt());
        assertTrue(line.get("match").asBoolean());
        assertEquals(Files.size(out), line.get("updateBytes").asLong());
        Doc loaded = new Doc(1);
        Updates.applyUpdate(loaded, Files.readAllBytes(out));
        assertEquals("😀😀x🎉y", loaded.getText("content").toString());
    }

    @Test
    void traceReplaysAConcurrentTraceWithAstralCharacters() throws Exception {
        // two agents type concurrently after a shared start, then merge
        Path trace = gzipJson("concurrent-astral", """
                {"kind":"concurrent","endContent":"🎉a😀bc","numAgents":2,"txns":[
                  {"parents":[],"agent":0,"numChildren":2,"time":0,"patches":[[0,0,"abc"]]},
                  {"parents":[0],"agent":0,"numChildren":1,"time":1,"patches":[[1,0,"😀"]]},
                  {"parents":[0],"agent":1,"numChildren":1,"time":1,"patches":[[0,0,"🎉"]]},
                  {"parents":[1,2],"agent":1,"numChildren":0,"time":2,"patches":[]}
                ]}""");

        CliRun run = run("trace", trace.toString());

        assertEquals(0, run.exitCode(), run.err() + run.out());
        JsonNode line = new ObjectMapper().readTree(run.out());
        assertEquals("concurrent", line.get("kind").asText());
        assertTrue(line.get("match").asBoolean(), run.out());
    }

    @Test
    void traceExitsNonZeroWhenTheResultDoesNotMatch() throws Exception {
        Path trace = gzipJson("wrong", """
                {"startContent":"","endContent":"something else","txns":[{"patches":[[0,0,"abc"]]}]}""");

        CliRun run = run("trace", trace.toString());

        assertEquals(1, run.exitCode());
        assertTrue(run.out().contains("\"match\":false"), run.out());
    }
}
