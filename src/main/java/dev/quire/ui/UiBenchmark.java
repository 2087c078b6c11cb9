package dev.quire.ui;

import dev.quire.app.LocalServer;
import dev.quire.bench.client.ClientBenchmark;
import dev.quire.bench.client.ClientBenchmark.Row;
import dev.quire.engine.Account;
import dev.quire.engine.ClientEngine;
import dev.quire.engine.OpenDocument;
import dev.quire.net.DocumentsApi.DocumentInfo;
import dev.quire.store.Profiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.fxmisc.flowless.VirtualizedScrollPane;
import org.fxmisc.richtext.StyleClassedTextArea;

/**
 * {@code quire bench ui} (issue 7, "Fast"): the real windows, on the real engine and this computer's own server, with a
 * second client typing into the same document. Each figure beside its floor from the same run: the same RichTextFX
 * area with no document behind it (keystrokes, opening, heap), a JavaFX window that shows nothing (cold start).
 *
 * <p>"To screen" is until the end of the next layout pulse after the key event: the scene graph is then what is drawn
 * (the render thread draws it from there). Needs a display; {@code xvfb-run} provides one.
 */
public final class UiBenchmark {
    private static final long WAIT_S = 120;

    /** How much: the big document's size, keystrokes timed, the remote peer's typing rate, documents for the heap. */
    public record Config(int documentBytes, int warmupKeystrokes, int keystrokes, int peerKeysPerSecond, int heapDocuments,
                         int heapDocumentBytes, Path work, String classPath, Path profile) {
    }

    private UiBenchmark() {
    }

    public static List<Row> run(Config config) throws Exception {
        FrameRate.useQuickFrames(); // as the app does; the bare area's floor, in this JVM, gets the same rate
        CompletableFuture<Void> started = new CompletableFuture<>();
        Platform.startup(() -> started.complete(null));
        started.get(WAIT_S, TimeUnit.SECONDS);
        Platform.setImplicitExit(false);
        List<Row> rows = new ArrayList<>();
        progress("cold start: the app and a bare JavaFX window, each a fresh process");
        rows.add(coldStart(config));

        LocalServer server = LocalServer.start(config.work().resolve("server"), Clock.systemUTC());
        ClientEngine.Environment env = ClientEngine.Environment.system().withVaultsInProfiles();
        ScheduledExecutorService typist = Executors.newSingleThreadScheduledExecutor();
        try (ClientEngine uiEngine = engine(server, config.work().resolve("ui"), env);
             ClientEngine peerEngine = engine(server, config.work().resolve("peer"), env)) {
            Account ui = signIn(uiEngine, server);
            Account peer = signIn(peerEngine, server);
            ViewSettings view = new ViewSettings(config.work().resolve("settings.properties"), false);
            String text = prose(config.documentBytes(), new Random(7));
            DocumentInfo big = ui.createDocument("big").get(WAIT_S, TimeUnit.SECONDS);
            OpenDocument seeded = peer.open(big.id());
            synchronized (seeded.doc()) {
                seeded.doc().getText(OpenDocument.TEXT).insert(0, text);
            }
            seeded.drained().get(WAIT_S, TimeUnit.SECONDS);

            onFx(() -> {
                EditorWindow.warmUp(view); // as the app does once its first window is up
                return null;
            });
            progress("opening a %d KB document: from the server, then from this computer", text.length() / 1024);
            long fromServer = timeToOpen(ui, big, view, text.length());
            long fromStore = timeToOpen(ui, big, view, text.length());
            long floorOpen = onFx(() -> {
                long t0 = System.nanoTime();
                Stage s = bare(text);
                s.close();
                return System.nanoTime() - t0;
            });
            rows.add(new Row("open a " + text.length() / 1024 + " KB document (first time: from the server)",
                    ms(fromServer), ms(fromServer), "bare area, same text", ms(floorOpen), ms(floorOpen), "< 1 s"));
            rows.add(new Row("open it again (from this computer)", ms(fromStore), ms(fromStore),
                    "bare area, same text", ms(floorOpen), ms(floorOpen), "< 1 s"));

            progress("%d + %d keystrokes into it while another client types %d keys a second",
                    config.warmupKeystrokes(), config.keystrokes(),
                    config.peerKeysPerSecond());
            EditorWindow window = onFx(() -> {
                EditorWindow w = new EditorWindow(big, EditorWindow.App.NONE, view);
                w.attach(ui.open(big.id(), Platform::runLater), ui.userId());
                w.show();
                return w;
            });
            StyleClassedTextArea area = onFx(() -> (StyleClassedTextArea) window.stage().getScene()
                    .lookup("#editor"));
            waitUntil(() -> onFx(() -> area.getLength() >= text.length()));
            Random where = new Random(3);
            long period = 1000L / Math.max(1, config.peerKeysPerSecond());
            typist.scheduleAtFixedRate(() -> {
                synchronized (seeded.doc()) {
                    var t = seeded.doc().getText(OpenDocument.TEXT);
                    t.insert(where.nextInt(t.length()), "x");
                }
            }, 0, period, TimeUnit.MILLISECONDS);
            jdk.jfr.Recording recording = null;
            if (config.profile() != null) { // a flight recording of the keystrokes alone, for finding the tail
                recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
                // a keystroke's work is a few milliseconds: the profile's 10-20 ms samples would miss most of it
                recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(1));
                recording.start();
            }
            // The first keystrokes after opening run while the JIT compiles the typing path (the bare area's run
            // comes later in this JVM and finds RichTextFX compiled): timed, and reported apart from the rest.
            Keystrokes first = keystrokes(area, config.warmupKeystrokes());
            Keystrokes keys = keystrokes(area, config.keystrokes());
            if (recording != null) {
                recording.stop();
                recording.dump(config.profile());
                recording.close();
                progress("flight recording of the keystrokes: %s", config.profile());
            }
            typist.shutdownNow();
            Stage floorStage = onFx(() -> bare(text));
            StyleClassedTextArea floorArea = onFx(() -> (StyleClassedTextArea) floorStage.getScene()
                    .lookup("#bare"));
            // the floor gets the same remote typing, straight into the area
            ScheduledExecutorService floorTypist = Executors.newSingleThreadScheduledExecutor();
            Random floorWhere = new Random(3);
            // (through the document model, as the binding applies others' edits: the caret stays put)
            floorTypist.scheduleAtFixedRate(() -> Platform.runLater(() -> {
                int at = floorWhere.nextInt(floorArea.getLength());
                floorArea.getContent().replace(at, at, org.fxmisc.richtext.model.ReadOnlyStyledDocument.fromString(
                        "x", floorArea.getInitialParagraphStyle(), floorArea.getInitialTextStyle(),
                        floorArea.getSegOps()));
            }), 0, period, TimeUnit.MILLISECONDS);
            Keystrokes floorFirst = keystrokes(floorArea, config.warmupKeystrokes());
            Keystrokes floorKeys = keystrokes(floorArea, config.keystrokes());
            floorTypist.shutdownNow();
            onFx(() -> {
                floorStage.close();
                window.closeWindow();
                return null;
            });
            progress("Quire: %s", keys.collections());
            progress("bare area: %s", floorKeys.collections());
            rows.add(Row.of("keystroke → on screen, " + text.length() / 1024 + " KB document, a peer typing",
                    keys.toScreen(), "bare area, same text and typing", floorKeys.toScreen(), "p99 < 16 ms"));
            rows.add(Row.of("keystroke → its frame's work done (event + pulse, without the wait for the pulse tick)",
                    keys.work(), "bare area, same text and typing", floorKeys.work(), "p99 < 16 ms: in the next frame"));
            rows.add(Row.of("the first " + config.warmupKeystrokes() + " keystrokes after opening it: their frame's work",
                    first.work(), "bare area, its first ones", floorFirst.work(), ""));

            progress("heap with %d open documents of %d KB", config.heapDocuments(),
                    config.heapDocumentBytes() / 1024);
            long[] heap = heap(ui, peer, view, config);
            rows.add(new Row("heap, " + config.heapDocuments() + " open documents of "
                    + config.heapDocumentBytes() / 1024 + " KB (MB)", heap[0] / 1e6, heap[0] / 1e6,
                    "bare areas, same texts", heap[1] / 1e6, heap[1] / 1e6, ""));
            seeded.close();
            ui.close();
            peer.close();
        } finally {
            typist.shutdownNow();
            server.close();
            env.loop().shutdownNow();
            Platform.exit();
        }
        return rows;
    }

    // ---- the measures ----

    /** Process start → the app's first window usable (it prints a line then), against a bare JavaFX window's. */
    private static Row coldStart(Config config) throws Exception {
        // a returning user of "On this computer": the profile and the server's folder exist, as on a second start
        Path home = config.work().resolve("cold");
        try (LocalServer s = LocalServer.start(home.resolve("local-server"), Clock.systemUTC())) {
            ClientEngine.Environment env = ClientEngine.Environment.system();
            try (ClientEngine e = engine(s, home, env)) {
                signIn(e, s).close();
            } finally {
                env.loop().shutdownNow();
            }
        }
        // as ./quire starts the app: from a class-data archive written by the start before (the floor gets its own)
        Path appArchive = config.work().resolve("app.jsa");
        Path floorArchive = config.work().resolve("floor.jsa");
        List<String> app0 = List.of("-Dquire.readyProbe=true", "dev.quire.cli.Main", "--data", home.toString());
        List<String> floor0 = List.of(BareWindow.class.getName());
        untilReady(config.classPath(), cds("-XX:ArchiveClassesAtExit=" + appArchive, app0));
        untilReady(config.classPath(), cds("-XX:ArchiveClassesAtExit=" + floorArchive, floor0));
        long[] app = new long[3];
        long[] floor = new long[3];
        for (int i = 0; i < app.length; i++) {
            app[i] = untilReady(config.classPath(), cds("-XX:SharedArchiveFile=" + appArchive, app0));
            floor[i] = untilReady(config.classPath(), cds("-XX:SharedArchiveFile=" + floorArchive, floor0));
        }
        return Row.of("cold start → usable window (returning user, own server, class-data archive)", app,
                "bare JavaFX window (its own archive)", floor,
                "< 2 s");
    }

    private static List<String> cds(String option, List<String> args) {
        List<String> all = new ArrayList<>(List.of(option, "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        all.addAll(args);
        return all;
    }

    private static long untilReady(String classPath, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", classPath));
        command.addAll(args);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("quire-ready")) {
                    long t = System.nanoTime() - t0;
                    if (!p.waitFor(30, TimeUnit.SECONDS)) { // it quits by itself, keeping its session for next time
                        p.destroy();
                    }
                    return t;
                }
            }
        } finally {
            p.destroyForcibly();
        }
        throw new IllegalStateException("the process ended without a usable window: " + command);
    }

    /** From the open (a click in the list) until the whole text is in the area and a layout pulse drew it. */
    private static long timeToOpen(Account ui, DocumentInfo doc, ViewSettings view, int length)
            throws Exception {
        CompletableFuture<Long> shown = new CompletableFuture<>();
        long[] t0 = new long[1];
        EditorWindow w = onFx(() -> {
            t0[0] = System.nanoTime();
            EditorWindow win = new EditorWindow(doc, EditorWindow.App.NONE, view);
            OpenDocument opened = ui.open(doc.id(), Platform::runLater);
            opened.when(s -> s.connection().state() == dev.quire.sync.ConnectionState.CONNECTED).thenRun(() ->
                    progress("  connected after %.0f ms", (System.nanoTime() - t0[0]) / 1e6));
            opened.doc().onUpdate((u, origin, t) -> progress("  an update of %d bytes applied after %.0f ms",
                    u.length, (System.nanoTime() - t0[0]) / 1e6));
            win.attach(opened, ui.userId());
            win.show();
            progress("  window shown after %.0f ms", (System.nanoTime() - t0[0]) / 1e6);
            StyleClassedTextArea area = (StyleClassedTextArea) win.stage().getScene().lookup("#editor");
            Runnable[] check = new Runnable[1];
            check[0] = () -> {
                if (area.getLength() >= length && shown.complete(System.nanoTime() - t0[0])) {
                    win.stage().getScene().removePostLayoutPulseListener(check[0]);
                }
            };
            win.stage().getScene().addPostLayoutPulseListener(check[0]);
            return win;
        });
        long t = shown.get(WAIT_S, TimeUnit.SECONDS);
        onFx(() -> {
            w.closeWindow();
            return null;
        });
        return t;
    }

    /**
     * Each keystroke's two figures, in nanoseconds. {@code toScreen}: from the key event to the end of the next layout
     * pulse. That includes the wait for JavaFX's pulse timer, which ticks at a fixed rate whatever the app does:
     * 0-8.3 ms at the app's 120 Hz ({@link FrameRate}; at JavaFX's default 60 Hz, 0-16.7 ms, which kept any window's
     * p99 over 16 ms). {@code work}: what the keystroke costs
     * the JavaFX thread: handling the event, plus that pulse from its start (CSS, layout, and whatever else it
     * carries, such as others' edits) to the end of its layout. Under one frame, the keystroke is drawn in the frame
     * after it; over one, that frame is missed.
     */
    private record Keystrokes(long[] toScreen, long[] work, boolean[] collected) {
        /** What a garbage collection during a keystroke costs the tail: printed with the figures, not a row. */
        String collections() {
            List<Long> others = new ArrayList<>();
            int hit = 0;
            for (int i = 0; i < work.length; i++) {
                if (collected[i]) {
                    hit++;
                } else {
                    others.add(work[i]);
                }
            }
            long[] rest = others.stream().mapToLong(Long::longValue).toArray();
            double p99 = rest.length == 0 ? Double.NaN : ClientBenchmark.percentileMs(rest, 0.99);
            return String.format("%d of %d keystrokes had a garbage collection in them; the others' work p99: %.2f ms",
                    hit, work.length, p99);
        }
    }

    /** Types {@code n} keys into the middle of the area, one per 25 ms; each timed to the end of its layout pulse. */
    private static Keystrokes keystrokes(StyleClassedTextArea area, int n) throws Exception {
        long[] toScreen = new long[n];
        long[] work = new long[n];
        boolean[] collected = new boolean[n];
        onFx(() -> {
            area.requestFocus();
            area.moveTo(area.getLength() / 2);
            return null;
        });
        for (int i = 0; i < n; i++) {
            CompletableFuture<long[]> drawn = new CompletableFuture<>();
            long gcBefore = collections();
            Platform.runLater(() -> {
                Scene scene = area.getScene();
                long t0 = System.nanoTime();
                long[] pulseStart = new long[1];
                Runnable[] pre = new Runnable[1];
                Runnable[] post = new Runnable[1];
                pre[0] = () -> {
                    pulseStart[0] = System.nanoTime();
                    scene.removePreLayoutPulseListener(pre[0]);
                };
                area.fireEvent(new KeyEvent(KeyEvent.KEY_TYPED, "k", "", KeyCode.UNDEFINED, false, false, false,
                        false));
                long handled = System.nanoTime() - t0;
                post[0] = () -> {
                    long end = System.nanoTime();
                    drawn.complete(new long[] {end - t0, handled + end - pulseStart[0]});
                    scene.removePostLayoutPulseListener(post[0]);
                };
                scene.addPreLayoutPulseListener(pre[0]);
                scene.addPostLayoutPulseListener(post[0]);
            });
            long[] timed = drawn.get(WAIT_S, TimeUnit.SECONDS);
            toScreen[i] = timed[0];
            work[i] = timed[1];
            collected[i] = collections() != gcBefore;
            Thread.sleep(Math.max(0, 25 - timed[0] / 1_000_000)); // a fast typist's pace
        }
        return new Keystrokes(toScreen, work, collected);
    }

    private static long collections() {
        long n = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            n += gc.getCollectionCount();
        }
        return n;
    }

    /** Used heap after opening the documents, less before: Quire's windows, then bare areas with the same texts. */
    private static long[] heap(Account ui, Account peer, ViewSettings view, Config config) throws Exception {
        List<DocumentInfo> docs = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < config.heapDocuments(); i++) {
            DocumentInfo d = ui.createDocument("heap " + i).get(WAIT_S, TimeUnit.SECONDS);
            String text = prose(config.heapDocumentBytes(), new Random(i));
            OpenDocument seed = peer.open(d.id());
            synchronized (seed.doc()) {
                seed.doc().getText(OpenDocument.TEXT).insert(0, text);
            }
            seed.drained().get(WAIT_S, TimeUnit.SECONDS);
            seed.close();
            docs.add(d);
            texts.add(text);
        }
        long before = usedHeap();
        List<EditorWindow> windows = new ArrayList<>();
        for (DocumentInfo d : docs) {
            windows.add(onFx(() -> {
                EditorWindow w = new EditorWindow(d, EditorWindow.App.NONE, view);
                w.attach(ui.open(d.id(), Platform::runLater), ui.userId());
                w.show();
                return w;
            }));
        }
        for (int i = 0; i < windows.size(); i++) {
            EditorWindow w = windows.get(i);
            int len = texts.get(i).length();
            waitUntil(() -> onFx(() -> ((StyleClassedTextArea) w.stage().getScene().lookup("#editor"))
                    .getLength() >= len));
        }
        long quire = usedHeap() - before;
        onFx(() -> {
            windows.forEach(EditorWindow::closeWindow);
            return null;
        });
        long floorBefore = usedHeap();
        List<Stage> bare = new ArrayList<>();
        for (String t : texts) {
            bare.add(onFx(() -> bare(t)));
        }
        long floor = usedHeap() - floorBefore;
        onFx(() -> {
            bare.forEach(Stage::close);
            return null;
        });
        return new long[] {quire, floor};
    }

    // ---- helpers ----

    /** The floor: a RichTextFX area of the same kind with the same text and nothing behind it, in its own window. */
    private static Stage bare(String text) {
        StyleClassedTextArea area = new StyleClassedTextArea();
        area.setId("bare");
        area.setWrapText(true);
        area.replaceText(text);
        Stage s = new Stage();
        s.setScene(new Scene(new VirtualizedScrollPane<>(area), 760, 560));
        s.show();
        return s;
    }

    /** Words in lines of about 70 characters, {@code bytes} long. */
    static String prose(int bytes, Random random) {
        String[] words = {"the", "quire", "of", "pages", "folded", "together", "and", "sewn", "into", "a", "book",
            "writing", "with", "others", "offline", "sync", "every", "edit", "kept"};
        StringBuilder b = new StringBuilder(bytes + 16);
        int line = 0;
        while (b.length() < bytes) {
            String w = words[random.nextInt(words.length)];
            b.append(w);
            line += w.length() + 1;
            if (line > 70) {
                b.append('\n');
                line = 0;
            } else {
                b.append(' ');
            }
        }
        b.setLength(bytes);
        return b.toString();
    }

    private static ClientEngine engine(LocalServer server, Path profiles, ClientEngine.Environment env)
            throws Exception {
        return ClientEngine.connect(server.account().url(), Profiles.at(profiles), env).get(WAIT_S, TimeUnit.SECONDS);
    }

    private static Account signIn(ClientEngine engine, LocalServer server) throws Exception {
        return engine.signIn(server.account().user(), server.account().password().clone())
                .get(WAIT_S, TimeUnit.SECONDS);
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Runs {@code work} on the JavaFX thread and returns its result (for code off that thread: benchmarks, tools). */
    static <T> T onFx(Supplier<T> work) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(work.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(WAIT_S, TimeUnit.SECONDS);
    }

    /** Polls {@code test} until it holds (two minutes at most). */
    static void waitUntil(java.util.concurrent.Callable<Boolean> test) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (!test.call()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out");
            }
            Thread.sleep(20);
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void progress(String format, Object... args) {
        System.err.printf("bench ui: " + format + "%n", args);
    }


    /**
     * The cold start's floor: a JavaFX window with nothing in it, reporting as the app does when it is usable. (A main
     * class that is itself an Application is refused by the java launcher off the module path, as Quire's Main is not.)
     */
    public static final class BareWindow {
        private BareWindow() {
        }

        public static void main(String[] args) {
            Application.launch(BareApp.class, args);
        }
    }

    /** The bare window's application. */
    public static final class BareApp extends Application {
        @Override
        public void start(Stage stage) {
            Scene scene = new Scene(new StackPane(), 520, 480);
            stage.setScene(scene);
            Runnable[] once = new Runnable[1];
            once[0] = () -> {
                scene.removePostLayoutPulseListener(once[0]);
                System.out.println("quire-ready");
                System.out.flush();
                Platform.runLater(Platform::exit);
            };
            scene.addPostLayoutPulseListener(once[0]);
            stage.show();
        }
    }
}
