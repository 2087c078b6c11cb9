package dev.quire.ui;

import dev.quire.app.LocalServer;
import dev.quire.engine.Account;
import dev.quire.engine.ClientEngine;
import dev.quire.net.DocumentsApi;
import dev.quire.session.SessionEvent;
import dev.quire.store.Profile;
import dev.quire.store.Profiles;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.stage.Stage;

/**
 * The desktop app. First start: "On this computer" (the embedded server on loopback with an account made for this
 * computer's user, signed in through the engine like any server) or "Sign in to a server". Later starts go back to
 * the profile used last: this computer's server, or the team server's session resumed (offline too). {@code --server
 * URL} starts at the sign-in.
 */
public final class QuireApp extends Application {
    private static final String LOCAL_SERVER_DIR = "local-server";

    private final Path dataDir;
    private final String serverUrl;
    private Profiles profiles;
    private Stage main;
    private LocalServer server;
    private ClientEngine engine;
    private Account account;
    /** The document windows open now, and their titles. */
    private final java.util.Map<EditorWindow, DocumentsApi.DocumentInfo> editors = new java.util.LinkedHashMap<>();
    /** Who signed out, and the documents they had open: reopened if the same user signs in again. */
    private String signedOutUser;
    private DocumentListWindow list;
    private List<DocumentsApi.DocumentInfo> toReopen = List.of();

    /** As launched by {@code ./quire}: arguments [DATA_DIR or "", SERVER_URL or ""]. */
    public QuireApp() {
        this(null, null);
    }

    /** With the profiles under {@code dataDir} (null: the default) and a server to sign in to (null: none). */
    public QuireApp(Path dataDir, String serverUrl) {
        this.dataDir = dataDir;
        this.serverUrl = serverUrl;
    }

    /** Starts the app (blocks until the last window closes). */
    public static void launch(Path dataDir, String serverUrl) {
        Application.launch(QuireApp.class, dataDir == null ? "" : dataDir.toString(),
                serverUrl == null ? "" : serverUrl);
    }

    @Override
    public void start(Stage stage) throws Exception {
        main = stage;
        List<String> raw = getParameters() == null ? List.of() : getParameters().getRaw();
        Path explicit = dataDir != null ? dataDir : raw.isEmpty() || raw.get(0).isEmpty() ? null : Path.of(raw.get(0));
        String server = serverUrl != null ? serverUrl : raw.size() < 2 || raw.get(1).isEmpty() ? null : raw.get(1);
        profiles = Profiles.locate(explicit, System.getenv());
        if (server != null) {
            signIn(server);
            return;
        }
        Optional<Profile> last = profiles.last();
        Optional<String> local = LocalServer.lastUrl(localServerDir());
        if (last.isPresent() && local.isPresent()
                && last.get().server().equals(Profiles.normalize(URI.create(local.get())))) {
            onThisComputer();
        } else if (last.isPresent()) {
            resume(last.get());
        } else {
            new WelcomeWindow(stage, this::onThisComputer, () -> signIn(null)).show();
        }
    }

    private Path localServerDir() {
        return profiles.root().resolve(LOCAL_SERVER_DIR);
    }

    /** This computer's own server: started here, signed in to with its account. */
    private void onThisComputer() {
        try {
            server = LocalServer.start(localServerDir(), Clock.systemUTC());
            LocalServer.Account local = server.account();
            ClientEngine e = connect(local.url()).get(30, TimeUnit.SECONDS);
            signedIn(e, e.signIn(local.user(), local.password().clone()).get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start Quire on this computer: " + e.getMessage(), e);
        }
    }

    private void signIn(String url) {
        signIn(url, null);
    }

    private void signIn(String url, String note) {
        SignInWindow w = new SignInWindow(main, url, this::connect, this::signedIn);
        if (note != null) {
            w.note(note);
        }
        w.show();
    }

    /** The team server's session of last time, resumed (offline too); the sign-in if it cannot be. */
    private void resume(Profile last) {
        connect(last.server().toString())
                .thenCompose(e -> e.resume(last.userId()).thenApply(a -> new Object[] {e, a}))
                .whenComplete((pair, failure) -> javafx.application.Platform.runLater(() -> {
                    if (failure != null) {
                        signIn(last.server().toString());
                    } else {
                        signedIn((ClientEngine) pair[0], (Account) pair[1]);
                    }
                }));
    }

    private CompletableFuture<ClientEngine> connect(String url) {
        return ClientEngine.connect(url, profiles, ClientEngine.Environment.system());
    }

    private void signedIn(ClientEngine e, Account a) {
        engine = e;
        account = a;
        // the session's end (signed out here, or the server refused it) closes every window at once
        a.addListener(event -> {
            if (event instanceof SessionEvent.SessionEnded ended && ended.reason() != SessionEvent.Reason.CLOSED) {
                javafx.application.Platform.runLater(() -> signedOut(a));
            }
        });
        list = new DocumentListWindow(main, a, this::openEditor);
        list.show();
        if (a.userId().equals(signedOutUser)) {
            toReopen.forEach(this::openEditor); // the same user is back: their windows come back, queued edits go
        }
        signedOutUser = null;
        toReopen = List.of();
    }

    private void openEditor(DocumentsApi.DocumentInfo d) {
        EditorWindow w = new EditorWindow(account.open(d.id()), d.title(), account.userId(),
                () -> list.createDocument());
        editors.put(w, d);
        w.onClosed(() -> editors.remove(w));
        w.show();
    }

    /**
     * The session ended: every document window closes (its edits stay in the outbox, of this user only) and the way in
     * is offered again, saying how many edits wait.
     */
    private void signedOut(Account ended) {
        if (ended != account) {
            return;
        }
        signedOutUser = ended.userId();
        toReopen = List.copyOf(editors.values());
        int unsent = ended.unsentCounts().values().stream().mapToInt(Integer::intValue).sum();
        for (EditorWindow w : List.copyOf(editors.keySet())) {
            w.closeWindow();
        }
        String url = ended.profile().server().toString();
        boolean local = server != null;
        closeSession();
        String note = unsent == 0 ? "Signed out." : "Signed out — sign in as " + signedOutUser + " to send "
                + (unsent == 1 ? "1 edit" : unsent + " edits") + " saved on this computer.";
        if (local) {
            new WelcomeWindow(main, this::onThisComputer, () -> signIn(null)).show();
        } else {
            signIn(url, note);
        }
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
    }

    /** For tests: the embedded server's account, while "On this computer" runs. */
    LocalServer.Account localAccount() {
        return server.account();
    }
}
