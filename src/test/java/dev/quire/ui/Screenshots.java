package dev.quire.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.crdt.RelativePosition;
import dev.quire.crdt.YText;
import dev.quire.engine.Account;
import dev.quire.engine.ClientEngine;
import dev.quire.engine.OpenDocument;
import dev.quire.net.DocumentsApi.DocumentInfo;
import dev.quire.store.Profiles;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;

/**
 * Renders the app's main screens to PNG files with the real JavaFX pipeline (run under Xvfb by
 * {@code docs/screenshots/render}, not on Monocle): the real windows on the real engine and a team server on loopback,
 * with a second user in the document. Usage: {@code Screenshots OUT_DIR}.
 */
public final class Screenshots {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Screenshots() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/screenshots");
        Files.createDirectories(out);
        Path work = Files.createTempDirectory("quire-screens");
        CompletableFuture<Void> up = new CompletableFuture<>();
        Platform.startup(() -> up.complete(null));
        up.get(60, TimeUnit.SECONDS);
        Platform.setImplicitExit(false);
        try (TeamServer team = new TeamServer(work)) {
            ClientEngine.Environment env = ClientEngine.Environment.system().withVaultsInProfiles();
            String url = "http://127.0.0.1:" + team.httpProxy.port();
            try (ClientEngine aliceEngine = ClientEngine.connect(url, Profiles.at(work.resolve("alice")), env)
                    .get(60, TimeUnit.SECONDS);
                 ClientEngine bobEngine = ClientEngine.connect(url, Profiles.at(work.resolve("bob")), env)
                         .get(60, TimeUnit.SECONDS)) {
                Account alice = aliceEngine.signIn("alice", TeamServer.ALICE_PASSWORD.toCharArray())
                        .get(60, TimeUnit.SECONDS);
                Account bob = bobEngine.signIn("bob", TeamServer.BOB_PASSWORD.toCharArray())
                        .get(60, TimeUnit.SECONDS);
                ViewSettings light = new ViewSettings(work.resolve("light.properties"), false);
                ViewSettings dark = new ViewSettings(work.resolve("dark.properties"), true);

                shoot(out.resolve("welcome.png"), () -> new WelcomePane(null, () -> { }, () -> { }), light, 520, 300);
                shoot(out.resolve("sign-in.png"), () -> {
                    SignInPane p = new SignInPane("https://quire.example.com", u -> new CompletableFuture<>(),
                            (e, a) -> { });
                    p.note("Wrong user name or password.");
                    return p;
                }, light, 520, 240);

                DocumentInfo plan = alice.createDocument("Launch plan").get(60, TimeUnit.SECONDS);
                alice.createDocument("Meeting notes").get(60, TimeUnit.SECONDS);
                alice.createDocument("Ideas").get(60, TimeUnit.SECONDS);
                alice.request((api, t) -> api.share(t, plan.id(), "bob", "writer")).get(60, TimeUnit.SECONDS);
                OpenDocument bobs = bob.open(plan.id());
                bobs.when(s -> s.inSync()).get(60, TimeUnit.SECONDS);
                synchronized (bobs.doc()) {
                    YText t = bobs.doc().getText(OpenDocument.TEXT);
                    t.insert(0, "Launch plan\n");
                    t.format(11, 1, Map.of("header", 1));
                    // explicit attributes throughout: Yjs gives text inserted without any those of the text before
                    Map<String, Object> plain = Map.of();
                    t.insert(t.length(), "We ship the desktop app on Friday. ", plain);
                    t.insert(t.length(), "Everything typed offline is kept", Map.of("bold", true));
                    t.insert(t.length(), " and sent when the network is back.\n", plain);
                    t.insert(t.length(), "Installers for Linux, macOS and Windows", plain);
                    t.insert(t.length(), "\n", Map.of("list", "bullet"));
                    t.insert(t.length(), "Screenshots in the ", plain);
                    t.insert(t.length(), "README", Map.of("code", true));
                    t.insert(t.length(), "\n", Map.of("list", "bullet"));
                    t.insert(t.length(), "Tag the release", plain);
                    t.insert(t.length(), "\n", Map.of("list", "ordered"));
                    t.insert(t.length(), "Announce it", plain);
                    t.insert(t.length(), "\n", Map.of("list", "ordered"));
                    t.insert(t.length(), "See the ", plain);
                    t.insert(t.length(), "release checklist", Map.of("link", "https://example.com/checklist"));
                    t.insert(t.length(), " before tagging; ", plain);
                    t.insert(t.length(), "old plan", Map.of("strike", true));
                    t.insert(t.length(), ".", plain);
                }
                bobs.drained().get(60, TimeUnit.SECONDS);

                DocumentListPane[] list = new DocumentListPane[1];
                shoot(out.resolve("documents.png"), () -> {
                    list[0] = new DocumentListPane(alice, LIST);
                    list[0].refresh();
                    return list[0];
                }, light, 520, 420);

                for (ViewSettings view : new ViewSettings[] {light, dark}) {
                    EditorWindow w = UiBenchmark.onFx(() -> {
                        EditorWindow win = new EditorWindow(plan, EditorWindow.App.NONE, view);
                        win.attach(alice.open(plan.id(), Platform::runLater), alice.userId());
                        win.show();
                        return win;
                    });
                    OpenDocument mine = w.document().orElseThrow();
                    mine.when(OpenDocument -> OpenDocument.inSync()).get(60, TimeUnit.SECONDS);
                    String at;
                    synchronized (bobs.doc()) {
                        YText t = bobs.doc().getText(OpenDocument.TEXT);
                        at = JSON.writeValueAsString(Map.of("user", Map.of("color", "#2f7de1"), "cursor",
                                Map.of("anchor", RelativePosition.fromIndex(t, 47).toJson(),
                                        "head", RelativePosition.fromIndex(t, 79).toJson())));
                    }
                    bobs.setPresence(at);
                    UiBenchmark.waitUntil(() -> !mine.presence().isEmpty());
                    Thread.sleep(500); // the caret joins the area at a layout pulse
                    save(UiBenchmark.onFx(() -> w.stage().getScene().snapshot(null)),
                            out.resolve(view == light ? "editor.png" : "editor-dark.png"));
                    UiBenchmark.onFx(() -> {
                        w.closeWindow();
                        return null;
                    });
                }

                team.syncProxy.refuse(true); // the network drops while typing
                EditorWindow offline = UiBenchmark.onFx(() -> {
                    EditorWindow win = new EditorWindow(plan, EditorWindow.App.NONE, light);
                    win.attach(alice.open(plan.id(), Platform::runLater), alice.userId());
                    win.show();
                    return win;
                });
                OpenDocument d = offline.document().orElseThrow();
                UiBenchmark.waitUntil(() -> d.status().connection().state() == dev.quire.sync.ConnectionState.RECONNECTING);
                UiBenchmark.onFx(() -> {
                    var area = (org.fxmisc.richtext.StyleClassedTextArea) offline.stage().getScene()
                            .lookup("#editor");
                    area.moveTo(area.getLength());
                    area.insertText(area.getLength(), " Typed on the train.");
                    return null;
                });
                UiBenchmark.waitUntil(() -> d.status().queued() > 0);
                Thread.sleep(300);
                save(UiBenchmark.onFx(() -> offline.stage().getScene().snapshot(null)), out.resolve("editor-offline.png"));
                UiBenchmark.onFx(() -> {
                    offline.closeWindow();
                    return null;
                });
                bobs.close();
                alice.close();
                bob.close();
            } finally {
                env.loop().shutdownNow();
            }
        } finally {
            Platform.exit();
        }
        System.out.println("screenshots written to " + out);
        System.exit(0);
    }


    private static final DocumentListPane.App LIST = new DocumentListPane.App() {
        @Override
        public void open(DocumentInfo d) {
        }

        @Override
        public void openImported(DocumentInfo d, Path file) {
        }

        @Override
        public void export(DocumentInfo d) {
        }

        @Override
        public void quit() {
        }
    };

    private static void shoot(Path file, Supplier<Parent> content, ViewSettings view, int w, int h)
            throws Exception {
        Stage stage = UiBenchmark.onFx(() -> {
            Stage s = new Stage();
            Scene scene = new Scene(content.get(), w, h);
            view.style(scene);
            s.setScene(scene);
            s.show();
            return s;
        });
        Thread.sleep(700); // lists fill from the server, a layout pulse or two
        save(UiBenchmark.onFx(() -> stage.getScene().snapshot(null)), file);
        UiBenchmark.onFx(() -> {
            stage.close();
            return null;
        });
    }

    private static void save(WritableImage image, Path file) throws Exception {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader pixels = image.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, pixels.getArgb(x, y));
            }
        }
        ImageIO.write(out, "png", file.toFile());
        System.out.println("wrote " + file);
    }


}
