package dev.quire.ui;

import dev.quire.engine.Account;
import dev.quire.net.DocumentsApi;
import dev.quire.net.DocumentsApi.DocumentInfo;
import dev.quire.net.DocumentsApi.WorkspaceInfo;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TextInputDialog;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * The signed-in user's workspaces and documents: switch, create and rename workspaces; create, open (double-click or
 * Enter), rename, share, export, import and delete documents; back up and restore the whole profile. Without the
 * server it shows the list kept from last time, and says so.
 */
final class DocumentListPane extends BorderPane {
    /** What the list asks of the app. */
    interface App {
        /** Opens a document in its own window. */
        void open(DocumentInfo d);

        /** Opens a new document in its own window and fills it from a file. */
        void openImported(DocumentInfo d, Path file);

        /** Exports a document to a file of the user's choice. */
        void export(DocumentInfo d);

        void quit();
    }

    private final Account account;
    private final App app;
    private final ListView<DocumentInfo> list = new ListView<>();
    private final ComboBox<WorkspaceInfo> workspaces = new ComboBox<>();
    private final Label message = new Label();
    private String workspace; // the one shown; null until the first listing
    private boolean switching; // the combo box is being refilled, not chosen from

    DocumentListPane(Account account, App app) {
        this.account = account;
        this.app = app;
        list.setId("documents");
        list.setAccessibleText("Documents");
        list.setPlaceholder(new Label("No documents yet: File > New document (Shortcut+N)"));
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(DocumentInfo d, boolean empty) {
                super.updateItem(d, empty);
                setText(empty || d == null ? null : d.title() + (d.readOnly() ? "  (read-only)" : ""));
            }
        });
        list.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                selected().ifPresent(app::open);
            }
        });
        list.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                selected().ifPresent(app::open);
            } else if (e.getCode() == KeyCode.DELETE) {
                delete();
            }
        });
        workspaces.setId("workspaces");
        workspaces.setAccessibleText("Workspace");
        workspaces.setCellFactory(v -> new WorkspaceCell());
        workspaces.setButtonCell(new WorkspaceCell());
        workspaces.valueProperty().addListener((o, was, now) -> {
            if (!switching && now != null && !now.id().equals(workspace)) {
                workspace = now.id();
                refresh();
            }
        });
        Button create = new Button("New document");
        create.setId("newDocument");
        create.setOnAction(e -> createDocument());
        Button signOut = new Button("Sign out");
        signOut.setId("signOut");
        signOut.setOnAction(e -> account.signOut()); // the session's end reaches every window (QuireApp)
        message.setId("message");
        message.setWrapText(true);
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        Label who = new Label("Signed in as " + account.userName());
        HBox top = new HBox(8, new Label("Workspace"), workspaces, gap, who);
        top.setAlignment(Pos.CENTER_LEFT);
        top.setPadding(new Insets(8));
        HBox bar = new HBox(8, create, signOut, message);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(8));
        MenuBar menus = new MenuBar(fileMenu(), documentMenu(), new Menu("_Account", null,
                item("_Sign out", "listSignOut", null, account::signOut)));
        menus.setUseSystemMenuBar(true);
        setTop(new VBox(menus, top));
        setCenter(list);
        setBottom(bar);
    }

    /** Asks the server for the list (or shows the one kept from last time). */
    void refresh() {
        account.listing(workspace).whenComplete((listing, error) -> Platform.runLater(() -> {
            if (error != null) {
                message.setText("Cannot list documents: " + rootMessage(error));
                return;
            }
            workspace = listing.workspace();
            switching = true;
            workspaces.getItems().setAll(listing.workspaces());
            listing.workspaces().stream().filter(w -> w.id().equals(workspace)).findFirst()
                    .ifPresent(workspaces::setValue);
            switching = false;
            list.getItems().setAll(listing.documents());
            message.setText(listMessage(listing, account.refusedListChanges()));
        }));
    }

    /** What the line under the list says: offline or not, changes not sent yet, changes the server refused. */
    static String listMessage(Account.Listing listing, List<String> refused) {
        List<String> parts = new java.util.ArrayList<>();
        if (listing.cached()) {
            parts.add("Offline — showing the documents saved on this computer");
        }
        if (listing.queuedChanges() > 0) {
            parts.add(listing.queuedChanges() == 1 ? "1 change waits to be sent"
                    : listing.queuedChanges() + " changes wait to be sent");
        }
        parts.addAll(refused);
        return String.join(". ", parts);
    }

    /**
     * A new document in the workspace shown, opened in its own window (the button, Shortcut+N anywhere); offline too,
     * the server gets it when it can be reached.
     */
    void createDocument() {
        created("Untitled " + (list.getItems().size() + 1), app::open);
    }

    List<DocumentInfo> shown() {
        return List.copyOf(list.getItems());
    }

    /** A new document in the workspace shown (the default one before the first listing), then {@code then}. */
    private void created(String title, Consumer<DocumentInfo> then) {
        DocumentInfo doc;
        try {
            doc = account.newDocument(title, workspace);
        } catch (RuntimeException e) { // the local store could not keep it (a full disk): nothing was made
            message.setText("Cannot create a document: " + rootMessage(e));
            return;
        }
        list.getItems().add(doc);
        list.getSelectionModel().select(doc);
        then.accept(doc);
        refresh(); // says whether it reached the server
    }

    private Menu fileMenu() {
        return new Menu("_File", null,
                item("_New document", "listNew", KeyCode.N, this::createDocument),
                item("New _workspace…", "newWorkspace", null, this::createWorkspace),
                item("Rename wor_kspace…", "renameWorkspace", null, this::renameWorkspace),
                new SeparatorMenuItem(),
                item("_Import…", "import", null, this::importFile),
                new SeparatorMenuItem(),
                item("_Back up everything…", "backup", null, this::backup),
                item("_Restore a backup…", "restore", null, this::restore),
                new SeparatorMenuItem(),
                item("_Quit Quire", "listQuit", KeyCode.Q, app::quit));
    }

    private Menu documentMenu() {
        return new Menu("_Document", null,
                item("_Open", "open", null, () -> selected().ifPresent(app::open)),
                item("_Rename…", "rename", null, this::rename),
                item("_Share…", "share", null, this::share),
                item("_Export…", "export", null, () -> selected().ifPresent(app::export)),
                new SeparatorMenuItem(),
                item("_Delete…", "delete", null, this::delete));
    }

    /** A new workspace, switched to at once; offline too (the server gets it when it can, as documents do). */
    private void createWorkspace() {
        ask("New workspace", "Name of the new workspace:", "").ifPresent(name -> change(() -> {
            workspace = account.newWorkspace(name).id(); // switch to it
        }, "Cannot create the workspace"));
    }

    private void renameWorkspace() {
        WorkspaceInfo ws = workspaces.getValue();
        if (ws == null) {
            return;
        }
        ask("Rename workspace", "New name:", ws.name()).ifPresent(name ->
                change(() -> account.renameWorkspace(ws.id(), name), "Cannot rename the workspace"));
    }

    private void rename() {
        selected().ifPresent(d -> ask("Rename", "New title:", d.title()).ifPresent(title ->
                change(() -> account.renameDocument(d.id(), title), "Cannot rename")));
    }

    /** A list change: made here at once (the server gets it when it can), then the list shown again. */
    private void change(Runnable change, String failure) {
        try {
            change.run();
        } catch (RuntimeException e) {
            message.setText(failure + ": " + rootMessage(e));
            return;
        }
        refresh();
    }

    /** Deletes the selected document for everyone, once the user confirms; the owner's documents only. */
    private void delete() {
        Optional<DocumentInfo> d = selected();
        if (d.isEmpty()) {
            return;
        }
        ButtonType delete = new ButtonType("Delete", ButtonBar.ButtonData.OK_DONE);
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, "“" + d.get().title()
                + "” will be deleted for everyone it is shared with. This cannot be undone.", delete,
                ButtonType.CANCEL);
        confirm.initOwner(window());
        confirm.setHeaderText("Delete “" + d.get().title() + "”?");
        if (confirm.showAndWait().filter(delete::equals).isPresent()) {
            change(() -> account.deleteDocument(d.get().id()), "Cannot delete");
        }
    }

    private void share() {
        selected().ifPresent(d -> new ShareDialog(account, d, window()).showAndWait());
    }

    private void importFile() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Import a document");
        chooser.getExtensionFilters().addAll(DocumentFiles.filters());
        File file = chooser.showOpenDialog(window());
        if (file != null) {
            importFile(file.toPath());
        }
    }

    /** A new document filled from {@code file}, in its own window (File > Import, or a file Quire was opened with). */
    void importFile(Path file) {
        created(DocumentFiles.titleOf(file), doc -> app.openImported(doc, file));
    }

    /** Says something on the line under the list (until the next listing). */
    void say(String text) {
        message.setText(text);
    }

    private void backup() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Back up everything");
        chooser.setInitialFileName("quire-backup.zip");
        File file = chooser.showSaveDialog(window());
        if (file != null) {
            try {
                var s = account.backup(file.toPath());
                message.setText("Backed up " + s.documents() + " documents and " + s.unsentEdits()
                        + " unsent edits" + listChanges(s) + " to " + file.getName());
            } catch (java.io.IOException e) {
                message.setText("Cannot write the backup: " + e.getMessage());
            }
        }
    }

    private static String listChanges(dev.quire.engine.ProfileBackup.Summary s) {
        return s.listChanges() == 0 ? "" : " (with " + s.listChanges() + " changes to the list not yet on the server)";
    }

    private void restore() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Restore a backup");
        File file = chooser.showOpenDialog(window());
        if (file != null) {
            try {
                var s = account.restore(file.toPath());
                message.setText("Restored " + s.documents() + " documents" + listChanges(s) + "; "
                        + s.unsentEdits() + " unsent edits are sent when their documents open");
                refresh();
            } catch (java.io.IOException | dev.quire.engine.ProfileBackup.BackupException e) {
                message.setText("Cannot restore: " + e.getMessage());
            }
        }
    }

    private Optional<String> ask(String title, String label, String value) {
        TextInputDialog d = new TextInputDialog(value);
        d.initOwner(window());
        d.setTitle(title);
        d.setHeaderText(label);
        d.getEditor().setId("answer");
        return d.showAndWait().map(String::strip).filter(s -> !s.isEmpty());
    }

    private Optional<DocumentInfo> selected() {
        return Optional.ofNullable(list.getSelectionModel().getSelectedItem());
    }

    private Window window() {
        return getScene() == null ? null : getScene().getWindow();
    }

    private static MenuItem item(String text, String id, KeyCode key, Runnable action) {
        MenuItem m = new MenuItem(text);
        m.setId(id);
        if (key != null) {
            m.setAccelerator(new KeyCodeCombination(key, KeyCombination.SHORTCUT_DOWN));
        }
        m.setOnAction(e -> action.run());
        return m;
    }

    static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof DocumentsApi.ApiException api && api.code().equals("FORBIDDEN")) {
            return "only the document's owner may do that";
        }
        return t.getMessage();
    }

    private static final class WorkspaceCell extends ListCell<WorkspaceInfo> {
        @Override
        protected void updateItem(WorkspaceInfo w, boolean empty) {
            super.updateItem(w, empty);
            setText(empty || w == null ? null : w.name());
        }
    }
}
