package dev.quire.bench.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client bench runs end to end on a small load and reports a measured figure for every row (no timing asserts). */
class ClientBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void aSmallRunMeasuresEveryRow() throws Exception {
        List<ClientBenchmark.Row> rows = ClientBenchmark.run(new ClientBenchmark.Config(20, 5, 300, dir));
        assertEquals(5, rows.size());
        for (ClientBenchmark.Row r : rows) {
            assertTrue(r.p50() > 0 && r.p99() >= r.p50(), r.toString());
        }
        assertTrue(rows.get(4).measure().contains("300 queued edits"), rows.get(4).measure());
        String table = ClientBenchmark.table(rows);
        assertTrue(table.contains("bare H2 commit") && table.contains("×"), table);
        assertEquals(rows.size() + 2, table.split("\n").length);
    }

    @Test
    void percentilesAreNearestRank() {
        long[] ms = {5_000_000, 1_000_000, 3_000_000, 2_000_000, 4_000_000};
        assertEquals(3.0, ClientBenchmark.percentileMs(ms, 0.5));
        assertEquals(5.0, ClientBenchmark.percentileMs(ms, 0.99));
        assertEquals(1.0, ClientBenchmark.percentileMs(ms, 0.01));
    }
}
