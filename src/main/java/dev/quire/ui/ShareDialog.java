package dev.quire.ui;

import dev.quire.engine.Account;
import dev.quire.net.DocumentsApi.DocumentInfo;
import dev.quire.net.DocumentsApi.ShareInfo;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * Sharing one document: who has it and as what, share it with a user (by name) as reader or writer, or stop sharing.
 * A reader's windows turn read-only at once; someone no longer shared with is disconnected (the server does both).
 */
final class ShareDialog extends Dialog<Void> {
    private final Account account;
    private final DocumentInfo document;
    private final ListView<ShareInfo> shares = new ListView<>();
    private final Label message = new Label();

    ShareDialog(Account account, DocumentInfo document, Window owner) {
        this.account = account;
        this.document = document;
        initOwner(owner);
        setTitle("Share “" + document.title() + "”");
        setHeaderText("Share “" + document.title() + "” with");
        TextField user = new TextField();
        user.setId("shareUser");
        user.setPromptText("user name");
        user.setAccessibleText("User to share with");
        ChoiceBox<String> role = new ChoiceBox<>();
        role.getItems().addAll("writer", "reader");
        role.setValue("writer");
        role.setId("shareRole");
        role.setAccessibleText("Role");
        Button add = new Button("Share");
        add.setId("shareAdd");
        add.setDefaultButton(true);
        add.setOnAction(e -> {
            String name = user.getText().strip();
            if (!name.isEmpty()) {
                account.request((api, token) -> api.share(token, document.id(), name, role.getValue()))
                        .whenComplete((s, error) -> Platform.runLater(() -> {
                            if (error != null) {
                                message.setText("Cannot share: " + DocumentListPane.rootMessage(error));
                            } else {
                                user.clear();
                                message.setText("Shared with " + s.name() + " as " + s.role());
                                refresh();
                            }
                        }));
            }
        });
        shares.setId("shares");
        shares.setPrefHeight(160);
        shares.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(ShareInfo s, boolean empty) {
                super.updateItem(s, empty);
                if (empty || s == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                Button remove = new Button("Stop sharing");
                remove.setOnAction(e -> unshare(s));
                setText(s.name() + " — " + s.role());
                setGraphic(remove);
            }
        });
        message.setId("shareMessage");
        message.setWrapText(true);
        VBox box = new VBox(8, new HBox(8, user, role, add), shares, message);
        box.setPadding(new Insets(12));
        getDialogPane().setContent(box);
        getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        refresh();
    }

    private void unshare(ShareInfo s) {
        account.request((api, token) -> api.unshare(token, document.id(), s.userId()))
                .whenComplete((ok, error) -> Platform.runLater(() -> {
                    message.setText(error != null ? "Cannot stop sharing: " + DocumentListPane.rootMessage(error)
                            : "No longer shared with " + s.name());
                    refresh();
                }));
    }

    private void refresh() {
        account.request((api, token) -> api.shares(token, document.id()))
                .whenComplete((list, error) -> Platform.runLater(() -> {
                    if (error != null) {
                        message.setText("Cannot list who has it: " + DocumentListPane.rootMessage(error));
                    } else {
                        shares.getItems().setAll(list);
                    }
                }));
    }
}
