package dev.quire.ui;

import dev.quire.app.LocalServer;
import dev.quire.engine.Account;
import dev.quire.engine.ClientEngine;
import dev.quire.store.Profiles;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.stage.Stage;

/**
 * The desktop app. This first cut starts "On this computer": the embedded server on loopback with the account made
 * for this computer's user, signed in through the engine like any server, then the document list. (Sign-in to a team
 * server, several profiles and the rest of issue 7 come next.)
 */
public final class QuireApp extends Application {
    private final Path dataDir;
    private LocalServer server;
    private ClientEngine engine;
    private Account account;

    /** As launched by {@code ./quire}: the profiles under {@code --data DIR}, else QUIRE_HOME or the platform folder. */
    public QuireApp() {
        this(null);
    }

    /** With the profiles under {@code dataDir} (null: the default), e.g. for a test. */
    public QuireApp(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Starts the app (blocks until the last window closes). */
    public static void launch(Path dataDir) {
        Application.launch(QuireApp.class, dataDir == null ? new String[0] : new String[] {dataDir.toString()});
    }

    @Override
    public void start(Stage stage) throws Exception {
        Path explicit = dataDir != null ? dataDir
                : getParameters().getRaw().isEmpty() ? null : Path.of(getParameters().getRaw().get(0));
        Profiles profiles = Profiles.locate(explicit, System.getenv());
        server = LocalServer.start(profiles.root().resolve("local-server"), Clock.systemUTC());
        LocalServer.Account local = server.account();
        engine = ClientEngine.connect(local.url(), profiles, ClientEngine.Environment.system())
                .get(30, TimeUnit.SECONDS);
        account = engine.signIn(local.user(), local.password().clone()).get(60, TimeUnit.SECONDS);
        new DocumentListWindow(stage, account).show();
    }

    @Override
    public void stop() {
        if (account != null) {
            account.close(); // not signed out: next start resumes; queued edits stay in the outbox
        }
        if (engine != null) {
            engine.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** For tests: the embedded server's account. */
    LocalServer.Account localAccount() {
        return server.account();
    }

}
