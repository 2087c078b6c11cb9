package dev.quire.ui;

import dev.quire.app.LocalServer;
import dev.quire.app.DocumentLink;
import dev.quire.app.SingleInstance;
import dev.quire.engine.Account;
import dev.quire.engine.ClientEngine;
import dev.quire.engine.OpenDocument;
import dev.quire.net.DocumentsApi.DocumentInfo;
import dev.quire.session.Failures;
import dev.quire.session.SessionEvent;
import dev.quire.sync.ConnectionState;
import dev.quire.store.Profile;
import dev.quire.store.Profiles;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.stage.WindowEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop app. First start: "On this computer" (the embedded server on loopback with an account made for this
 * computer's user, signed in through the engine like any server) or "Sign in to a server". Later starts go back to
 * the profile used last: this computer's server, or the team server's session resumed (offline too). {@code --server
 * URL} starts at the sign-in.
 *
 * <p>Windows: the main one (the way in, then the document list) and one per open document. They share one session:
 * when it ends (sign-out in any window, or a refresh the server rejects) every window shows the way in at once and
 * every document connection closes; signing in again as the same user brings the documents back in their windows,
 * as someone else closes them.
 */
public final class QuireApp extends Application {
    private static final String LOCAL_SERVER_DIR = "local-server";

    private final Path dataDir;
    private final String serverUrl;
    private Profiles profiles;
    private ViewSettings view;
    private SingleInstance instance;
    private Stage main;
    private static final Logger log = LoggerFactory.getLogger(QuireApp.class);
    private final StackPane mainRoot = new StackPane();
    private LocalServer server;
    /** Whether the way in is "On this computer" (the welcome) rather than a team server's sign-in. */
    private boolean local;
    private String lastServerUrl;
    private ClientEngine engine;
    private Account account;
    private DocumentListPane list;
    private final List<EditorWindow> editors = new ArrayList<>();
    /** Document list windows beside the main one, opened by later launches ({@link #handedOver}). */
    private final List<Stage> listWindows = new ArrayList<>();
    /** Who signed out: their windows stay (showing the way in) and come back if they sign in again. */
    private String signedOutUser;

    /** As launched by {@code ./quire}: arguments [DATA_DIR or "", SERVER_URL or ""]. */
    public QuireApp() {
        this(null, null);
    }

    /** With the profiles under {@code dataDir} (null: the default) and a server to sign in to (null: none). */
    public QuireApp(Path dataDir, String serverUrl) {
        this.dataDir = dataDir;
        this.serverUrl = serverUrl;
    }

    /**
     * Starts the app (blocks until the last window closes), unless Quire already runs on the same data folder: then
     * that one shows its window and this returns false at once.
     */
    public static boolean launch(Path dataDir, String serverUrl) {
        return launch(dataDir, serverUrl, null);
    }

    /**
     * As {@link #launch(Path, String)}, opening {@code target} once signed in: a {@code quire://} link ({@link
     * DocumentLink}) opens its document, a file (an exported {@code .yjs}, Markdown or text) is imported into a new
     * one. A Quire already running on the folder is asked to open it instead (null: nothing to open).
     */
    public static boolean launch(Path dataDir, String serverUrl, String target) {
        Profiles located = Profiles.locate(dataDir, System.getenv());
        Path root = located.root();
        if (SingleInstance.handOver(root, target)) {
            return false;
        }
        launchTarget = target;
        // asking the OS for its theme runs a command: done while JavaFX starts, instead of after
        systemDark = CompletableFuture.supplyAsync(SystemTheme::prefersDark);
        // a returning user of this computer's server: start it while JavaFX starts, instead of after
        Path localDir = root.resolve(LOCAL_SERVER_DIR);
        if (isLocal(lastOf(located), localDir)) {
            earlyLocal = CompletableFuture.supplyAsync(() -> startLocal(localDir, located));
        }
        FrameRate.useQuickFrames();
        Application.launch(QuireApp.class, dataDir == null ? "" : dataDir.toString(),
                serverUrl == null ? "" : serverUrl);
        return true;
    }

    @Override
    public void start(Stage stage) throws Exception {
        phase("JavaFX started");
        main = stage;
        AppIcons.apply(stage);
        List<String> raw = getParameters() == null ? List.of() : getParameters().getRaw();
        Path explicit = dataDir != null ? dataDir : raw.isEmpty() || raw.get(0).isEmpty() ? null : Path.of(raw.get(0));
        String server = serverUrl != null ? serverUrl : raw.size() < 2 || raw.get(1).isEmpty() ? null : raw.get(1);
        profiles = Profiles.locate(explicit, System.getenv());
        pendingTarget = launchTarget;
        launchTarget = null;
        Optional<SingleInstance> claimed = SingleInstance.claim(profiles.root(),
                target -> Platform.runLater(() -> handedOver(target)));
        if (claimed.isEmpty()) {
            // another Quire took the folder between our check and now: it shows its window, this one goes
            SingleInstance.handOver(profiles.root(), pendingTarget);
            Platform.exit();
            return;
        }
        instance = claimed.get();
        CompletableFuture<Boolean> dark = systemDark;
        view = new ViewSettings(profiles.root().resolve("settings.properties"),
                dark != null ? dark.join() : SystemTheme.prefersDark());
        Scene scene = new Scene(mainRoot, 520, 480);
        view.style(scene);
        main.setScene(scene);
        main.setTitle("Quire");
        main.setOnCloseRequest(this::closingWindow);
        main.show();
        if (server != null) {
            local = false;
            lastServerUrl = server;
            showMain(signInPane(server, null));
            return;
        }
        Optional<Profile> last = profiles.last();
        if (isLocal(last, localServerDir())) {
            local = true;
            onThisComputer();
        } else if (last.isPresent()) {
            local = false;
            lastServerUrl = last.get().server().toString();
            resume(last.get());
        } else if (Boolean.getBoolean("quire.training")) {
            // the installers' class-data training run (packaging/linux/train-cds): the way a first start most
            // often goes, "On this computer", without anyone to click it
            onThisComputer();
        } else {
            local = true;
            showMain(wayIn(null, this::showMain));
        }
    }

    // ---- the ways in ----

    /** The welcome (this computer's server) or the sign-in (a team server's), with a note, placed by {@code show}. */
    private Parent wayIn(String note, Consumer<Parent> show) {
        if (local) {
            return new WelcomePane(note, this::onThisComputer, () -> {
                local = false;
                show.accept(signInPane(null, null));
            });
        }
        return signInPane(lastServerUrl, note);
    }

    private Parent signInPane(String url, String note) {
        SignInPane pane = new SignInPane(url, this::connect, this::signedIn);
        if (note != null) {
            pane.note(note);
        }
        Platform.runLater(pane::focus);
        return pane;
    }

    /** The profile used last; none when there is no readable record of last time (the welcome then decides). */
    private static Optional<Profile> lastOf(Profiles profiles) {
        try {
            return profiles.last();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code last}, the profile used last, is this computer's own server's. */
    private static boolean isLocal(Optional<Profile> last, Path localServerDir) {
        Optional<String> localUrl = LocalServer.lastUrl(localServerDir);
        return last.isPresent() && localUrl.isPresent()
                && last.get().server().equals(Profiles.normalize(URI.create(localUrl.get())));
    }

    /** The link or file {@link #launch} was given, for the app it starts (null: none). */
    private static volatile String launchTarget;
    /** A link or file to open once someone is signed in (null: none). */
    private String pendingTarget;

    /** Whether the OS prefers dark, asked by {@link #launch} while JavaFX starts; null when launched otherwise. */
    private static volatile CompletableFuture<Boolean> systemDark;

    /** This computer's server and session, started by {@link #launch} while JavaFX starts; null when not early. */
    private static volatile CompletableFuture<Local> earlyLocal;

    /** This computer's own server, an engine on it, and its account signed in. */
    private record Local(LocalServer server, ClientEngine engine, Account account) {
    }

    /** Starts this computer's server and signs in to it (resuming last time's session if it can). */
    private static Local startLocal(Path localDir, Profiles profiles) {
        phase("starting this computer's server");
        // the engine's HTTP client (it loads the JDK's TLS defaults, ~0.1 s) is made while the server starts
        CompletableFuture<ClientEngine.Environment> env = CompletableFuture.supplyAsync(
                ClientEngine.Environment::system);
        LocalServer server = LocalServer.start(localDir, Clock.systemUTC());
        try {
            phase("server started");
            ClientEngine e = ClientEngine.connect(server.account().url(), profiles, env.join())
                    .get(30, TimeUnit.SECONDS);
            phase("engine connected");
            try {
                return new Local(server, e, resumeOrSignIn(e, server.account()));
            } catch (Exception | Error failed) {
                e.close();
                throw failed;
            }
        } catch (Exception | Error failed) {
            server.close();
            throw new IllegalStateException("cannot start Quire on this computer: " + failed.getMessage(), failed);
        }
    }

    private Path localServerDir() {
        return profiles.root().resolve(LOCAL_SERVER_DIR);
    }

    /**
     * This computer's own server: started here, signed in to with its account. The JavaFX thread does not wait for
     * it: the window draws itself (its first pulse is a good part of a cold start) while the server starts.
     */
    private void onThisComputer() {
        local = true;
        CompletableFuture<Local> early = earlyLocal;
        earlyLocal = null;
        CompletableFuture<Local> starting = early != null ? early
                : CompletableFuture.supplyAsync(() -> startLocal(localServerDir(), profiles));
        Label wait = new Label("Starting Quire…");
        wait.setId("starting");
        mainRoot.getChildren().setAll(wait); // not showMain: the window is not usable yet
        starting.whenComplete((started, failure) -> {
            try {
                Platform.runLater(() -> localStarted(started, failure));
            } catch (IllegalStateException exited) {
                if (started != null) { // JavaFX is gone (the app quit while its server started)
                    closeQuietly(started);
                }
            }
        });
    }

    private void localStarted(Local started, Throwable failure) {
        if (failure != null) {
            Throwable cause = Failures.cause(failure);
            log.atError().setCause(cause).log("cannot start Quire on this computer");
            // startLocal's exception says "cannot start Quire on this computer"; the note says why
            String why = cause.getCause() != null ? cause.getCause().getMessage() : cause.getMessage();
            showMain(wayIn("Quire could not start on this computer: " + why, this::showMain));
            return;
        }
        if (!main.isShowing() || account != null) { // quit meanwhile, or someone signed in another way
            closeQuietly(started);
            return;
        }
        phase("signed in");
        server = started.server();
        signedIn(started.engine(), started.account());
    }

    private static void closeQuietly(Local started) {
        started.account().close();
        started.engine().close();
        started.server().close();
    }

    /** This computer's account: its session of last time resumed, or a fresh sign-in with its password. */
    private static Account resumeOrSignIn(ClientEngine e, LocalServer.Account local) throws Exception {
        java.util.Optional<String> last = e.lastUser();
        if (last.isPresent()) {
            try {
                Account a = e.resume(last.get()).get(30, TimeUnit.SECONDS);
                phase("session resumed");
                return a;
            } catch (java.util.concurrent.ExecutionException resumeFailed) {
                phase("no session to resume: " + resumeFailed.getCause());
            }
        }
        return e.signIn(local.user(), local.password().clone()).get(60, TimeUnit.SECONDS);
    }

    /** The team server's session of last time, resumed (offline too); the sign-in if it cannot be. */
    private void resume(Profile last) {
        connect(last.server().toString())
                .thenCompose(e -> e.resume(last.userId()).thenApply(a -> new Object[] {e, a}))
                .whenComplete((pair, failure) -> Platform.runLater(() -> {
                    if (failure != null) {
                        showMain(signInPane(last.server().toString(), null));
                    } else {
                        signedIn((ClientEngine) pair[0], (Account) pair[1]);
                    }
                }));
    }

    private CompletableFuture<ClientEngine> connect(String url) {
        return ClientEngine.connect(url, profiles, ClientEngine.Environment.system());
    }

    private void signedIn(ClientEngine e, Account a) {
        if (account != null) { // signed in already, from another window's sign-in
            a.close();
            e.close();
            return;
        }
        engine = e;
        account = a;
        lastServerUrl = a.profile().server().toString();
        // the session's end (signed out here, or the server refused it) reaches every window at once
        a.addListener(event -> {
            if (event instanceof SessionEvent.SessionEnded ended && ended.reason() != SessionEvent.Reason.CLOSED) {
                Platform.runLater(() -> signedOut(a, ended.reason()));
            }
        });
        list = new DocumentListPane(a, listActions);
        showMain(list);
        if (!warmedUp) {
            warmedUp = true;
            // once the list is laid out (a runLater could run before that pulse and hold the list back): the first
            // document opened then finds the editor's classes loaded and its styles parsed
            Runnable[] once = new Runnable[1];
            once[0] = () -> {
                main.getScene().removePostLayoutPulseListener(once[0]);
                Platform.runLater(() -> EditorWindow.warmUp(view));
            };
            main.getScene().addPostLayoutPulseListener(once[0]);
        }
        main.setTitle("Quire — " + a.userName());
        list.refresh();
        boolean sameUser = a.userId().equals(signedOutUser);
        for (EditorWindow w : List.copyOf(editors)) {
            if (sameUser) {
                w.attach(a.open(w.info().id(), Platform::runLater), a.userId()); // the same user: back, edits go
            } else {
                w.closeWindow(); // someone else: nothing of the previous user's stays on screen
            }
        }
        signedOutUser = null;
        openPendingTarget();
    }

    /**
     * Opens the link or file Quire was asked to open, now that someone is signed in: a link to a document of this
     * server opens it in its window, a file becomes a new document. A link to another server says so on the list.
     */
    private void openPendingTarget() {
        String target = pendingTarget;
        pendingTarget = null;
        if (target == null || account == null || list == null) {
            return;
        }
        if (DocumentLink.looksLikeOne(target)) {
            Optional<DocumentLink> link = DocumentLink.parse(target);
            URI here = account.profile().server();
            if (link.isEmpty()) {
                list.say("Cannot open the link: it is not a Quire document link");
            } else if (!Profiles.normalize(link.get().server()).equals(here)) {
                list.say("The link is to a document on " + link.get().server() + "; sign in there to open it");
            } else {
                String id = link.get().docId();
                account.request((api, token) -> api.document(token, id)).whenComplete((d, error) ->
                        Platform.runLater(() -> {
                            if (error != null) {
                                list.say("Cannot open the link: " + DocumentListPane.rootMessage(error));
                            } else {
                                openEditor(d);
                            }
                        }));
            }
            return;
        }
        Path file = Path.of(target);
        if (!Files.isRegularFile(file)) {
            list.say("Cannot open " + target + ": there is no such file");
            return;
        }
        list.importFile(file);
    }

    /**
     * The session ended: every document window shows the way in instead of its text (its edits stay in the outbox,
     * of this user only), and so does the main window, saying how many edits wait.
     */
    private void signedOut(Account ended, SessionEvent.Reason reason) {
        if (ended != account) {
            return;
        }
        signedOutUser = ended.userId();
        int unsent = ended.unsentCounts().values().stream().mapToInt(Integer::intValue).sum();
        String why = reason == SessionEvent.Reason.REJECTED ? "Your session ended." : "Signed out.";
        String note = unsent == 0 ? why : why + " Sign in as " + ended.userName() + " to send "
                + (unsent == 1 ? "1 edit" : unsent + " edits") + " saved on this computer.";
        for (EditorWindow w : editors) {
            w.signedOut(wayIn(note, w::signedOut));
        }
        closeListWindows();
        closeSession();
        list = null;
        main.setTitle("Quire");
        showMain(wayIn(note, this::showMain));
    }

    private void showMain(Parent content) {
        mainRoot.getChildren().setAll(content);
        if (!main.isShowing()) {
            main.show();
        }
        if (Boolean.getBoolean("quire.readyProbe") && !readyTold) {
            readyTold = true; // quire bench ui: the first window is usable once this content is laid out
            Runnable[] once = new Runnable[1];
            once[0] = () -> {
                main.getScene().removePostLayoutPulseListener(once[0]);
                phase("window usable");
                System.out.println("quire-ready");
                System.out.flush();
                Platform.runLater(Platform::exit); // and quits as a user would: the session is kept for next time
            };
            main.getScene().addPostLayoutPulseListener(once[0]);
        }
    }

    private boolean readyTold;
    private boolean warmedUp;

    /** With {@code -Dquire.readyProbe=true} (quire bench ui), how far a start got, in ms since the JVM started. */
    private static void phase(String what) {
        if (Boolean.getBoolean("quire.readyProbe")) {
            System.out.println("quire-phase " + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime()
                    + " ms " + what);
        }
    }

    /**
     * A later launch on the same folder: as starting Quire again would, it gets a window. The main window if it was
     * closed; if it is open and someone is signed in, a new document list window (the way in has one window only).
     */
    private void handedOver(String target) {
        if (target != null) {
            pendingTarget = target;
            if (account != null) {
                openPendingTarget();
                return;
            }
        }
        if (main.isShowing() && account != null) {
            openListWindow();
            return;
        }
        showMainWindow();
    }

    private void showMainWindow() {
        if (!main.isShowing()) {
            main.show();
        }
        main.setIconified(false);
        main.toFront();
        main.requestFocus();
    }

    /** Another window on the signed-in user's documents; it lists them again whenever it gets the focus. */
    private void openListWindow() {
        DocumentListPane pane = new DocumentListPane(account, listActions);
        Stage window = new Stage();
        AppIcons.apply(window);
        Scene scene = new Scene(pane, main.getWidth(), main.getHeight());
        view.style(scene);
        window.setScene(scene);
        window.setTitle(main.getTitle());
        window.setOnCloseRequest(this::closingWindow);
        window.setOnHidden(e -> listWindows.remove(window));
        window.focusedProperty().addListener((o, was, now) -> {
            if (now) {
                pane.refresh();
            }
        });
        listWindows.add(window);
        window.show();
        window.toFront();
        pane.refresh();
    }

    /** The list windows beside the main one close (sign-out, quit); the main window shows the way in. */
    private void closeListWindows() {
        for (Stage s : List.copyOf(listWindows)) {
            s.close();
        }
    }

    // ---- windows ----

    private final DocumentListPane.App listActions = new DocumentListPane.App() {
        @Override
        public void open(DocumentInfo d) {
            openEditor(d);
        }

        @Override
        public void openImported(DocumentInfo d, Path file) {
            EditorWindow w = openEditor(d);
            Optional.ofNullable(w).flatMap(EditorWindow::document).ifPresent(doc -> {
                try {
                    DocumentFiles.importInto(file, doc.doc());
                } catch (IOException | RuntimeException e) {
                    alert(w.stage(), "Cannot import " + file.getFileName(), e.getMessage());
                }
            });
        }

        @Override
        public void export(DocumentInfo d) {
            if (account == null) {
                return;
            }
            OpenDocument doc = account.open(d.id(), Platform::runLater);
            // what the server has joins what this computer has (if the server answers soon), then it is written
            doc.when(s -> s.lastSynced().isPresent() && s.connection().state() == ConnectionState.CONNECTED)
                    .completeOnTimeout(null, 5, TimeUnit.SECONDS)
                    .whenComplete((s, e) -> Platform.runLater(() -> {
                        exportTo(d, doc, main);
                        doc.close();
                    }));
        }

        @Override
        public void quit() {
            QuireApp.this.quit();
        }
    };

    private final EditorWindow.App editorActions = new EditorWindow.App() {
        @Override
        public void newDocument() {
            if (list != null) {
                list.createDocument();
            }
        }

        @Override
        public void showDocuments() {
            showMainWindow();
        }

        @Override
        public void signOut() {
            if (account != null) {
                account.signOut();
            }
        }

        @Override
        public void quit() {
            QuireApp.this.quit();
        }

        @Override
        public void export(DocumentInfo document, OpenDocument open, Stage owner) {
            exportTo(document, open, owner);
        }
    };

    private EditorWindow openEditor(DocumentInfo d) {
        if (account == null) {
            return null;
        }
        EditorWindow w = new EditorWindow(d, editorActions, view);
        w.attach(account.open(d.id(), Platform::runLater), account.userId());
        editors.add(w);
        w.onClosed(() -> editors.remove(w));
        w.stage().setOnCloseRequest(this::closingWindow);
        w.show();
        return w;
    }

    private void exportTo(DocumentInfo d, OpenDocument doc, Window owner) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export “" + d.title() + "”");
        chooser.getExtensionFilters().addAll(DocumentFiles.filters());
        chooser.setInitialFileName(d.title() + ".md");
        File file = chooser.showSaveDialog(owner);
        if (file != null) {
            try {
                DocumentFiles.export(doc.doc(), file.toPath());
            } catch (IOException e) {
                alert(owner, "Cannot export “" + d.title() + "”", e.getMessage());
            }
        }
    }

    // ---- quitting ----

    /**
     * A window is closing. If it is the last one and edits are still queued, the app says so first: they stay on this
     * computer and are sent the next time Quire opens.
     */
    private void closingWindow(WindowEvent e) {
        long others = Window.getWindows().stream().filter(Window::isShowing).filter(w -> w != e.getSource()).count();
        if (others == 0 && !confirmQuit()) {
            e.consume();
        }
    }

    /** Closes every window (the app then ends), once the user knows about queued edits. */
    void quit() {
        if (!confirmQuit()) {
            return;
        }
        for (EditorWindow w : List.copyOf(editors)) {
            w.closeWindow();
        }
        closeListWindows();
        main.close();
    }

    /** True to go ahead: nothing is queued, or the user read that it is kept for next time. */
    private boolean confirmQuit() {
        int unsent = account == null ? 0 : account.unsentCounts().values().stream().mapToInt(Integer::intValue).sum();
        if (unsent == 0) {
            return true;
        }
        ButtonType quit = new ButtonType("Quit", ButtonBar.ButtonData.OK_DONE);
        ButtonType stay = new ButtonType("Keep Quire open", ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert a = new Alert(Alert.AlertType.INFORMATION, (unsent == 1 ? "1 edit has" : unsent + " edits have")
                + " not reached the server yet. " + (unsent == 1 ? "It is" : "They are")
                + " saved on this computer and will be sent the next time you open Quire.", quit, stay);
        a.setHeaderText("Edits are waiting to be sent");
        a.initOwner(main.isShowing() ? main : null);
        a.getDialogPane().setId("queuedOnQuit");
        return a.showAndWait().filter(quit::equals).isPresent();
    }

    private void closeSession() {
        if (account != null) {
            account.close();
            account = null;
        }
        if (engine != null) {
            engine.close();
            engine = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    public void stop() {
        closeSession(); // not signed out: the next start resumes; queued edits stay in the outbox
        if (instance != null) {
            instance.close();
        }
    }

    private static void alert(Window owner, String header, String text) {
        Alert a = new Alert(Alert.AlertType.ERROR, text, ButtonType.OK);
        a.initOwner(owner);
        a.setHeaderText(header);
        a.show();
    }

    /** For tests: the embedded server's account, while "On this computer" runs. */
    LocalServer.Account localAccount() {
        return server.account();
    }

    /** For tests: the document windows, open now. */
    List<EditorWindow> editorWindows() {
        return List.copyOf(editors);
    }
}
