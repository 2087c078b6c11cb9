package dev.quire.ui;

import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/**
 * The first start: two ways in, "On this computer" (no set-up) and "Sign in to a server". Shown again after signing
 * out of this computer's own server, with a note.
 */
final class WelcomePane extends VBox {
    WelcomePane(String note, Runnable onThisComputer, Runnable signInToServer) {
        super(10);
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
        Label message = new Label(note == null ? "" : note);
        message.setId("error");
        message.setWrapText(true);
        getChildren().addAll(title, local, localHelp, remote, remoteHelp, message);
        getStyleClass().add("welcome");
        setPadding(new Insets(24));
    }
}
