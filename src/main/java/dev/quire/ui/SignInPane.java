package dev.quire.ui;

import dev.quire.engine.Account;
import dev.quire.engine.ClientEngine;
import dev.quire.net.DiscoveryException;
import dev.quire.session.Failures;
import dev.quire.session.TokenEndpointException;
import java.util.function.BiConsumer;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;

/**
 * "Sign in to a server": its URL, a user name and a password. Errors say what to do (wrong password, server
 * unreachable, not a Quire server or too old); the password is never shown, logged or kept once sent.
 */
final class SignInPane extends GridPane {
    /** Connects to a server: discovery, then an engine on the app's profiles. */
    interface Engines {
        java.util.concurrent.CompletableFuture<ClientEngine> connect(String url);
    }

    private final TextField server = new TextField();
    private final TextField user = new TextField();
    private final PasswordField password = new PasswordField();
    private final Button signIn = new Button("Sign in");
    private final Label error = new Label();

    SignInPane(String serverUrl, Engines engines, BiConsumer<ClientEngine, Account> signedIn) {
        server.setId("server");
        server.setText(serverUrl == null ? "" : serverUrl);
        server.setPromptText("https://quire.example.com");
        server.setAccessibleText("Server address");
        user.setId("user");
        user.setAccessibleText("User name");
        password.setId("password");
        password.setAccessibleText("Password");
        signIn.setId("signIn");
        signIn.setDefaultButton(true);
        error.setId("error");
        error.setWrapText(true);
        signIn.setOnAction(e -> {
            signIn.setDisable(true);
            error.setText("Signing in…");
            char[] secret = password.getText().toCharArray();
            password.clear();
            engines.connect(server.getText().strip())
                    .thenCompose(engine -> engine.signIn(user.getText().strip(), secret)
                            .whenComplete((a, failure) -> {
                                if (failure != null) {
                                    engine.close();
                                }
                            })
                            .thenApply(account -> new Object[] {engine, account}))
                    .whenComplete((pair, failure) -> Platform.runLater(() -> {
                        signIn.setDisable(false);
                        if (failure != null) {
                            error.setText(explain(failure));
                        } else {
                            error.setText("");
                            signedIn.accept((ClientEngine) pair[0], (Account) pair[1]);
                        }
                    }));
        });
        getStyleClass().add("sign-in");
        setHgap(8);
        setVgap(8);
        setPadding(new Insets(16));
        addRow(0, new Label("Server"), server);
        addRow(1, new Label("User name"), user);
        addRow(2, new Label("Password"), password);
        add(signIn, 1, 3);
        add(error, 0, 4, 2, 1);
        server.setPrefColumnCount(28);
    }

    /** A line where errors go, e.g. why the user is here again. */
    void note(String text) {
        error.setText(text);
    }

    /** Focus where typing starts: the address if there is none yet, else the user name. */
    void focus() {
        (server.getText().isEmpty() ? server : user).requestFocus();
    }

    /** What went wrong, in words that say what to do; never a token or the password. */
    static String explain(Throwable failure) {
        Throwable t = Failures.cause(failure);
        if (t instanceof TokenEndpointException te) {
            return te.kind() == TokenEndpointException.Kind.REJECTED ? "Wrong user name or password."
                    : "The server did not answer the sign-in; check the network and try again.";
        }
        if (t instanceof DiscoveryException de) {
            return switch (de.kind()) {
                case UNREACHABLE -> "Cannot reach the server: check the address and the network.";
                case NOT_QUIRE -> "That address is not a Quire server.";
                case INCOMPATIBLE -> "The server is too old or too new for this app: " + de.getMessage();
            };
        }
        if (t instanceof IllegalArgumentException) {
            return "That is not a server address.";
        }
        return "Sign-in failed: " + t.getClass().getSimpleName();
    }
}
