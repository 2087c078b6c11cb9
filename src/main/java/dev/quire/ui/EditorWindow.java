package dev.quire.ui;

import dev.quire.engine.OpenDocument;
import dev.quire.net.DocumentsApi.DocumentInfo;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import org.fxmisc.richtext.StyleClassedTextArea;

/**
 * A document's window. While signed in it shows the document ({@link EditorPane}); when the session ends it shows
 * the way in again (sign-in or welcome) in place of the text, and the document's connection is closed. Signing in
 * as the same user brings the document back in the same window; as someone else, the window closes.
 *
 * <p>Menus: File, Edit, Format, View, Account, with the platform's usual keys (Shortcut is Ctrl, or Cmd on macOS).
 */
final class EditorWindow {
    /** What the menus ask of the app, beyond this window. */
    interface App {
        void newDocument();

        void showDocuments();

        void signOut();

        /** Closes every window (saying first if edits are still queued). */
        void quit();

        /** Exports the document of this window: as a Yjs update file, plain text or Markdown. */
        void export(DocumentInfo document, OpenDocument open, Stage owner);

        /** An app that does none of it: a window on its own (the UI benchmark, the screenshots). */
        App NONE = new App() {
            @Override
            public void newDocument() {
            }

            @Override
            public void showDocuments() {
            }

            @Override
            public void signOut() {
            }

            @Override
            public void quit() {
            }

            @Override
            public void export(DocumentInfo document, OpenDocument open, Stage owner) {
            }
        };
    }

    private final Stage stage = new Stage();
    private final BorderPane root = new BorderPane();
    private final DocumentInfo info;
    private final App app;
    private final ViewSettings view;
    private final Menu edit = new Menu("_Edit");
    private final Menu format = new Menu("F_ormat");
    private final MenuItem export = new MenuItem("_Export…");
    private EditorPane pane; // null while signed out

    EditorWindow(DocumentInfo info, App app, ViewSettings view) {
        this.info = info;
        this.app = app;
        this.view = view;
        MenuBar menus = new MenuBar(fileMenu(), editMenu(), formatMenu(), viewMenu(), accountMenu());
        menus.setUseSystemMenuBar(true); // macOS: the screen's menu bar, as Mac apps do
        root.setTop(menus);
        Scene scene = new Scene(root, 760, 560);
        view.style(scene);
        stage.setScene(scene);
        stage.setTitle(info.title() + " — Quire");
        AppIcons.apply(stage);
        stage.setOnHidden(e -> detach());
        // Shortcut+S is harmless: everything is saved as it is typed, so it only shows the status again
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN),
                () -> withPane(EditorPane::refresh));
    }

    /**
     * Loads and runs once, off screen, what the first editor window needs (RichTextFX's classes, the menus, the CSS),
     * so that opening the first document costs what opening the second does. The app calls it once its first window
     * is up, in an idle moment of the JavaFX thread.
     */
    static void warmUp(ViewSettings view) {
        StyleClassedTextArea area = new StyleClassedTextArea();
        area.getStyleClass().add("document");
        area.replaceText("Quire\nwarming up");
        area.setStyle(1, 5, java.util.List.of("bold"));
        area.setParagraphStyle(0, java.util.List.of("h1"));
        BorderPane root = new BorderPane(new org.fxmisc.flowless.VirtualizedScrollPane<>(area));
        root.setTop(new MenuBar(new Menu("File", null, new MenuItem("New")), new Menu("View", null,
                new RadioMenuItem("Light"))));
        Scene scene = new Scene(root, 400, 300);
        view.style(scene);
        root.applyCss();
        root.layout();
    }

    /** Shows {@code document} in this window (opened for the signed-in user). */
    void attach(OpenDocument document, String userId) {
        detach();
        pane = new EditorPane(document, userId);
        pane.area().styleProperty().bind(Bindings.format(java.util.Locale.ROOT, "-fx-font-size: %.0fpx;",
                view.fontSize()));
        root.setCenter(pane);
        edit.setDisable(false);
        format.setDisable(false);
        export.setDisable(false);
        stage.setTitle(info.title() + " — Quire");
        pane.area().requestFocus();
    }

    /**
     * The session ended: the document's connection closes (its queued edits stay in the outbox) and the window shows
     * {@code wayIn} instead of the text, which the next user must not see.
     */
    void signedOut(Node wayIn) {
        detach();
        root.setCenter(wayIn);
        edit.setDisable(true);
        format.setDisable(true);
        export.setDisable(true);
        stage.setTitle("Signed out — Quire");
    }

    void show() {
        stage.show();
        if (pane != null) {
            pane.area().requestFocus();
        }
    }

    void closeWindow() {
        stage.close();
    }

    void onClosed(Runnable r) {
        stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDDEN, e -> r.run());
    }

    Stage stage() {
        return stage;
    }

    DocumentInfo info() {
        return info;
    }

    /** The document shown, while signed in. */
    java.util.Optional<OpenDocument> document() {
        return java.util.Optional.ofNullable(pane).map(EditorPane::document);
    }

    private void detach() {
        if (pane != null) {
            pane.area().styleProperty().unbind();
            pane.dispose();
            pane = null;
        }
    }

    private void withPane(Consumer<EditorPane> action) {
        if (pane != null) {
            action.accept(pane);
        }
    }

    private Menu fileMenu() {
        export.setOnAction(e -> withPane(p -> app.export(info, p.document(), stage)));
        MenuItem close = item("_Close window", "closeWindow", KeyCode.W, stage::close);
        return new Menu("_File", null,
                item("_New document", "menuNew", KeyCode.N, app::newDocument),
                item("_Documents…", "menuDocuments", KeyCode.O, app::showDocuments),
                new SeparatorMenuItem(), export, new SeparatorMenuItem(), close,
                item("_Quit Quire", "menuQuit", KeyCode.Q, app::quit));
    }

    private Menu editMenu() {
        MenuItem undo = item("_Undo", "menuUndo", KeyCode.Z, () -> withPane(p -> p.binding().undo()));
        MenuItem redo = new MenuItem("_Redo");
        redo.setAccelerator(new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN,
                KeyCombination.SHIFT_DOWN));
        redo.setOnAction(e -> withPane(p -> p.binding().redo()));
        edit.getItems().addAll(undo, redo, new SeparatorMenuItem(),
                item("_Find and replace…", "menuFind", KeyCode.F, () -> withPane(EditorPane::find)));
        return edit;
    }

    private Menu formatMenu() {
        format.getItems().addAll(
                item("_Bold", "menuBold", KeyCode.B, () -> inline("bold")),
                item("_Italic", "menuItalic", KeyCode.I, () -> inline("italic")),
                item("_Underline", "menuUnderline", KeyCode.U, () -> inline("underline")),
                plain("_Strikethrough", "menuStrike", () -> inline("strike")),
                plain("Inline _code", "menuCode", () -> inline("code")),
                plain("_Link…", "menuLink", this::link),
                new SeparatorMenuItem(),
                plain("_Normal text", "menuNormal", () -> block(null, null)),
                plain("Heading _1", "menuH1", () -> block("header", 1)),
                plain("Heading _2", "menuH2", () -> block("header", 2)),
                plain("Heading _3", "menuH3", () -> block("header", 3)),
                plain("_Bulleted list", "menuBullet", () -> block("list", "bullet")),
                plain("_Numbered list", "menuOrdered", () -> block("list", "ordered")));
        return format;
    }

    private Menu viewMenu() {
        MenuItem in = new MenuItem("Zoom _in");
        in.setId("menuZoomIn");
        in.setAccelerator(new KeyCodeCombination(KeyCode.EQUALS, KeyCombination.SHORTCUT_DOWN));
        in.setOnAction(e -> view.zoomIn());
        MenuItem out = item("Zoom _out", "menuZoomOut", KeyCode.MINUS, view::zoomOut);
        MenuItem reset = item("_Actual size", "menuZoomReset", KeyCode.DIGIT0, view::zoomReset);
        ToggleGroup themes = new ToggleGroup();
        Menu theme = new Menu("_Theme");
        for (ViewSettings.Theme t : ViewSettings.Theme.values()) {
            RadioMenuItem r = new RadioMenuItem(switch (t) {
                case SYSTEM -> "Same as the system";
                case LIGHT -> "Light";
                case DARK -> "Dark";
            });
            r.setToggleGroup(themes);
            r.setSelected(view.theme().get() == t);
            r.setOnAction(e -> view.theme().set(t));
            view.onThemeChange(r.getProperties(), now -> r.setSelected(now == t));
            theme.getItems().add(r);
        }
        return new Menu("_View", null, in, out, reset, new SeparatorMenuItem(), theme);
    }

    private Menu accountMenu() {
        return new Menu("_Account", null, plain("_Sign out", "menuSignOut", app::signOut));
    }

    private void inline(String attribute) {
        withPane(p -> p.binding().toggle(attribute));
    }

    private void block(String attribute, Object value) {
        withPane(p -> p.binding().paragraph(attribute, value));
    }

    private void link() {
        withPane(p -> {
            if (p.area().getSelection().getLength() == 0) {
                return;
            }
            TextInputDialog ask = new TextInputDialog("https://");
            ask.initOwner(stage);
            ask.setTitle("Link");
            ask.setHeaderText("Link the selected text to:");
            ask.showAndWait().map(String::strip).ifPresent(url -> p.binding().link(url.isEmpty() ? null : url));
        });
    }

    private static MenuItem item(String text, String id, KeyCode key, Runnable action) {
        MenuItem m = plain(text, id, action);
        m.setAccelerator(new KeyCodeCombination(key, KeyCombination.SHORTCUT_DOWN));
        return m;
    }

    private static MenuItem plain(String text, String id, Runnable action) {
        MenuItem m = new MenuItem(text);
        m.setId(id);
        m.setOnAction(e -> action.run());
        return m;
    }
}
