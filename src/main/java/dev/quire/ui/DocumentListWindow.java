package dev.quire.ui;

import dev.quire.engine.Account;
import dev.quire.net.DocumentsApi.DocumentInfo;
import java.util.List;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;

/** The signed-in user's documents: open one (double-click or Enter) in its own window, or start a new one. */
final class DocumentListWindow {
    private final Stage stage;
    private final Account account;
    private final ListView<DocumentInfo> list = new ListView<>();
    private final Label message = new Label();

    private final java.util.function.Consumer<DocumentInfo> opener;

    /**
     * @param opener opens a document in its own window (the app keeps track of them)
     */
    DocumentListWindow(Stage stage, Account account, java.util.function.Consumer<DocumentInfo> opener) {
        this.stage = stage;
        this.account = account;
        this.opener = opener;
        list.setId("documents");
        list.setAccessibleText("Documents");
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(DocumentInfo d, boolean empty) {
                super.updateItem(d, empty);
                setText(empty || d == null ? null : d.title() + (d.role().equals("reader") ? "  (read-only)" : ""));
            }
        });
        list.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                openSelected();
            }
        });
        list.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                openSelected();
            }
        });
        Button create = new Button("New document");
        create.setId("newDocument");
        create.setOnAction(e -> createDocument());
        Button signOut = new Button("Sign out");
        signOut.setId("signOut");
        signOut.setOnAction(e -> account.signOut()); // the session's end reaches every window (QuireApp)
        message.setId("message");
        HBox bar = new HBox(8, create, signOut, message);
        BorderPane root = new BorderPane(list);
        root.setTop(new Label("Documents of " + account.userName()));
        root.setBottom(bar);
        stage.setScene(new Scene(root, 420, 480));
        stage.getScene().getAccelerators().put(new javafx.scene.input.KeyCodeCombination(KeyCode.N,
                javafx.scene.input.KeyCombination.SHORTCUT_DOWN), this::createDocument);
        stage.setTitle("Quire");
    }

    void show() {
        stage.show();
        refresh();
    }

    private void refresh() {
        account.documents().whenComplete((docs, error) -> Platform.runLater(() -> {
            if (error != null) {
                message.setText("Cannot list documents: " + rootMessage(error));
            } else {
                list.getItems().setAll(docs);
            }
        }));
    }

    /** A new document, opened in its own window (the list's button, Shortcut+N anywhere). */
    void createDocument() {
        String title = "Untitled " + (list.getItems().size() + 1);
        account.createDocument(title).whenComplete((doc, error) -> Platform.runLater(() -> {
            if (error != null) {
                message.setText("Cannot create a document: " + rootMessage(error));
                return;
            }
            list.getItems().add(doc);
            open(doc);
        }));
    }

    private void openSelected() {
        DocumentInfo d = list.getSelectionModel().getSelectedItem();
        if (d != null) {
            open(d);
        }
    }

    private void open(DocumentInfo d) {
        opener.accept(d);
    }

    List<DocumentInfo> shown() {
        return List.copyOf(list.getItems());
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
