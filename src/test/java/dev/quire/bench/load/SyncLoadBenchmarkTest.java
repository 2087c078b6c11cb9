package dev.quire.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator against the real y-websocket@2.1.0 server (Node, loopback): 2 documents × 3 clients, 5 edits/s. */
class SyncLoadBenchmarkTest {
    private static final Path STOCK_SERVER = Path.of("src/test/js/node_modules/y-websocket/bin/server.cjs");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    private static LoadConfig smallLoad(Duration warmup, Duration duration, Duration drain) {
        return new LoadConfig(6, 2, 5, warmup, duration, drain, 7);
    }

    private static Target stock() {
        assertTrue(Files.isRegularFile(STOCK_SERVER),
                "y-websocket missing at " + STOCK_SERVER.toAbsolutePath() + ": run npm ci --prefix src/test/js");
        return new StockYWebsocketTarget("node", STOCK_SERVER);
    }

    private List<LoadResult> run(LoadConfig config, Faults faults) throws IOException, InterruptedException {
        return SyncLoadBenchmark.run(List.of(stock()), config, dir, Duration.ofSeconds(20),
                new PrintStream(progress, true, StandardCharsets.UTF_8), faults);
    }

    @Test
    void deliversEveryEditToEveryOtherClientAndMeasuresLatencyAndServerCpu() throws Exception {
        LoadConfig config = smallLoad(Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(3));
        LoadResult r = run(config, Faults.NONE).get(0);

        assertEquals(List.of(), r.errors(), progress.toString(StandardCharsets.UTF_8));
        assertEquals(0, r.lost());
        assertEquals(0, r.divergedDocs());
        // 6 clients × 5/s × 3 s = 90 edits in the window, give or take timer phase
        assertTrue(r.measuredEdits() >= 80 && r.measuredEdits() <= 100, "measured " + r.measuredEdits());
        assertEquals(r.measuredEdits(), r.delivered());
        assertTrue(r.p50Ms() > 0 && r.p50Ms() <= r.p99Ms() && r.p99Ms() <= r.maxMs(), r.toString());
        assertTrue(r.cpuSeconds() > 0, "the Node server used some CPU: " + r);
        assertFalse(r.acks(), "y-websocket sends no acks");
        assertTrue(r.ok());

        String table = SyncLoadBenchmark.table(config, List.of(r));
        assertTrue(table.contains("| y-websocket 2.1.0 | "), table);
    }

    @Test
    void roundsAreSummedUpAsEachTargetsMedianAndRange() {
        List<LoadResult> runs = List.of(result("quire", 1.0, 9.0, 4), result("stock", 0.5, 4.0, 2),
                result("quire", 2.0, 5.0, 6), result("stock", 0.7, 6.0, 2), result("quire", 3.0, 7.0, 5),
                result("stock", 0.9, 3.0, 2));
        String medians = SyncLoadBenchmark.medians(runs);
        assertTrue(medians.contains("| quire | 3 | 2.00 | 7.00 | 5.00-9.00 | "), medians);
        assertTrue(medians.contains("| stock | 3 | 0.70 | 4.00 | 3.00-6.00 | "), medians);
        assertTrue(medians.contains("| 0.57× |"), "stock's median p99 over quire's: " + medians);
        assertEquals(2.5, SyncLoadBenchmark.median(new double[] {4, 1, 2, 3}));
        assertTrue(Double.isNaN(SyncLoadBenchmark.median(new double[0])));
    }

    private static LoadResult result(String target, double p50, double p99, double cpuSeconds) {
        return new LoadResult(target, 100, 100, 0, 0, p50, p99, p99 * 2, cpuSeconds, 10, 0, 100, List.of());
    }

    @Test
    void aClientThatDropsIncomingUpdatesIsReportedAsLoss() throws Exception {
        // client 0 (document 0) drops every 4th update it receives: the later edits of that sender then wait for a
        // missing dependency, so they never show up there either
        LoadResult r = run(smallLoad(Duration.ZERO, Duration.ofSeconds(2), Duration.ofSeconds(1)), new Faults(0, 4)).get(0);

        assertTrue(r.lost() > 0, "loss not detected: " + r);
        assertTrue(r.delivered() < r.measuredEdits(), r.toString());
        assertFalse(r.ok());
    }

    @Test
    void aTargetThatPromisesAcksButSendsNoneFailsWithEveryEditUnacked() throws Exception {
        Target stock = stock();
        // the stock server under a Target that claims to ack, as a Quire server that never acks would behave
        Target silent = new Target() {
            @Override
            public String name() {
                return "never-acks";
            }

            @Override
            public Running start(int docs, Path workDir, Duration timeout) throws IOException, InterruptedException {
                Running running = stock.start(docs, workDir, timeout);
                return new Running() {
                    public ServerProcess process() {
                        return running.process();
                    }

                    public URI syncUri(int doc) {
                        return running.syncUri(doc);
                    }

                    public Map<String, String> headers(int client, int doc) {
                        return running.headers(client, doc);
                    }

                    public List<String> subprotocols() {
                        return running.subprotocols();
                    }

                    public boolean acks() {
                        return true;
                    }

                    public void close() {
                        running.close();
                    }
                };
            }
        };
        LoadResult r = SyncLoadBenchmark.run(List.of(silent), smallLoad(Duration.ZERO, Duration.ofSeconds(1),
                Duration.ofMillis(500)), dir, Duration.ofSeconds(20), new PrintStream(progress, true,
                StandardCharsets.UTF_8), Faults.NONE).get(0);

        assertEquals(0, r.lost(), "delivery itself works");
        assertTrue(r.acks() && r.acked() == 0 && r.totalEdits() > 0, r.toString());
        assertFalse(r.ok());
        assertTrue(SyncLoadBenchmark.table(smallLoad(Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO), List.of(r))
                .contains("| 0 / " + r.totalEdits() + " |"));
    }

    @Test
    void theRelayFloorDeliversEveryEditToo() throws Exception {
        // clients relay each other's sync steps through it; every edit must still reach every other client
        LoadResult r = SyncLoadBenchmark.run(List.of(new RelayFloorTarget(List.of())),
                smallLoad(Duration.ZERO, Duration.ofSeconds(2), Duration.ofSeconds(2)), dir, Duration.ofSeconds(30),
                new PrintStream(progress, true, StandardCharsets.UTF_8), Faults.NONE).get(0);

        assertEquals(List.of(), r.errors(), progress.toString(StandardCharsets.UTF_8));
        assertEquals(0, r.lost());
        assertEquals(0, r.divergedDocs());
        assertTrue(r.measuredEdits() > 0 && r.delivered() == r.measuredEdits(), r.toString());
        assertTrue(r.ok());
    }

    @Test
    void refusesToLoadAHostThatIsNotLoopback() {
        assertThrows(IOException.class, () -> LoadRun.requireLoopback(URI.create("ws://192.0.2.1:1234/doc")));
    }
}
