package dev.quire.ui;

import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/** The first start: two ways in, "On this computer" (no set-up) and "Sign in to a server". */
final class WelcomeWindow {
    private final Stage stage;

    WelcomeWindow(Stage stage, Runnable onThisComputer, Runnable signInToServer) {
        this.stage = stage;
        Label title = new Label("Welcome to Quire");
        title.setStyle("-fx-font-size: 18px;");
        Button local = new Button("On this computer");
        local.setId("onThisComputer");
        local.setMaxWidth(Double.MAX_VALUE);
        local.setDefaultButton(true);
        local.setOnAction(e -> onThisComputer.run());
        Label localHelp = new Label("Documents stay on this computer; nothing to set up.");
        Button remote = new Button("Sign in to a server");
        remote.setId("signInToServer");
        remote.setMaxWidth(Double.MAX_VALUE);
        remote.setOnAction(e -> signInToServer.run());
        Label remoteHelp = new Label("Write together with your team on its Quire server.");
        VBox box = new VBox(10, title, local, localHelp, remote, remoteHelp);
        box.setPadding(new Insets(24));
        stage.setScene(new Scene(box, 420, 260));
        stage.setTitle("Quire");
    }

    void show() {
        stage.show();
    }
}
