package dev.quire.ui;

import dev.quire.engine.DocumentStatus;
import dev.quire.engine.OpenDocument;
import dev.quire.sync.ConnectionState;
import java.time.Instant;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.geometry.Pos;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.HBox;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.fxmisc.flowless.VirtualizedScrollPane;
import org.fxmisc.richtext.StyleClassedTextArea;

/**
 * One document's window: the text, bound to the document ({@link TextBinding}), and a status bar that says what the
 * engine says ({@link StatusLine}), refreshed on every change and once a second (the retry countdown).
 */
final class EditorWindow {
    private final Stage stage = new Stage();
    private final OpenDocument document;
    private final StyleClassedTextArea area = new StyleClassedTextArea();
    private final Label status = new Label();
    private final Hyperlink retryNow = new Hyperlink("Retry now");
    private final TextBinding binding;
    private final Timeline ticker;

    EditorWindow(OpenDocument document, String title, String userId, Runnable newDocument) {
        this.document = document;
        area.setId("editor");
        area.setWrapText(true);
        area.setAccessibleText("Document text");
        status.setId("status");
        status.setAccessibleText("Connection status");
        retryNow.setId("retryNow");
        retryNow.setOnAction(e -> document.retryNow());
        retryNow.managedProperty().bind(retryNow.visibleProperty());
        binding = TextBinding.bind(area, document.doc(), OpenDocument.TEXT);
        document.addListener(s -> Platform.runLater(() -> show(s)));
        show(document.status());
        ticker = new Timeline(new KeyFrame(Duration.seconds(1), e -> show(document.status())));
        ticker.setCycleCount(Timeline.INDEFINITE);
        ticker.play();

        FindBar findBar = new FindBar(area, binding);
        BorderPane root = new BorderPane(new VirtualizedScrollPane<>(area));
        root.setTop(findBar);
        PresenceLayer presence = new PresenceLayer(area, document, userId);
        javafx.scene.layout.Region gap = new javafx.scene.layout.Region();
        HBox.setHgrow(gap, javafx.scene.layout.Priority.ALWAYS);
        Label words = new Label(WordCount.describe(area.getText()));
        words.setId("words");
        area.textProperty().addListener((o, was, now) -> words.setText(WordCount.describe(now)));
        HBox bar = new HBox(12, status, retryNow, gap, presence.whoIsHere(), words);
        bar.setAlignment(Pos.CENTER_LEFT);
        root.setBottom(bar);
        stage.setScene(new Scene(root, 720, 520));
        stage.getScene().getStylesheets().add(EditorWindow.class.getResource("quire.css").toExternalForm());
        stage.setTitle(title + " — Quire");
        stage.setOnHidden(e -> close());
        // the usual keys: Shortcut+N a new document, Shortcut+W closes this one, Shortcut+S is harmless (always saved)
        stage.getScene().getAccelerators().put(new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN),
                newDocument);
        stage.getScene().getAccelerators().put(new KeyCodeCombination(KeyCode.W, KeyCombination.SHORTCUT_DOWN),
                stage::close);
        stage.getScene().getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN),
                findBar::show);
        stage.getScene().getAccelerators().put(new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN),
                () -> show(document.status()));
    }

    void show() {
        stage.show();
        area.requestFocus();
    }

    /** Closes the window (its connection closes; queued edits stay in the outbox). */
    void closeWindow() {
        stage.close();
    }

    void onClosed(Runnable r) {
        stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDDEN, e -> r.run());
    }

    String documentId() {
        return document.id();
    }

    private void show(DocumentStatus s) {
        status.setText(StatusLine.describe(s, Instant.now()));
        retryNow.setVisible(s.connection().state() == ConnectionState.RECONNECTING);
    }

    /** The window went: its connection closes; anything queued stays in the outbox for next time. */
    private void close() {
        ticker.stop();
        binding.dispose();
        document.close();
    }
}
