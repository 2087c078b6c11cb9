package dev.quire.ui;

import dev.quire.engine.DocumentStatus;
import dev.quire.engine.OpenDocument;
import dev.quire.sync.ConnectionState;
import java.time.Duration;
import java.time.Instant;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.fxmisc.flowless.VirtualizedScrollPane;
import org.fxmisc.richtext.StyleClassedTextArea;

/**
 * One open document, as a window shows it while signed in: the text, bound to the document ({@link TextBinding}),
 * find and replace, others' carets, and a status bar that says what the engine says ({@link StatusLine}), refreshed
 * on every change and once a second (the retry countdown).
 */
final class EditorPane extends BorderPane {
    private final OpenDocument document;
    private final StyleClassedTextArea area = new StyleClassedTextArea();
    private final Label status = new Label();
    private final Hyperlink retryNow = new Hyperlink("Retry now");
    private final TextBinding binding;
    private final FindBar findBar;
    private final Timeline ticker;
    private Instant sendingSince; // JavaFX thread: since when edits wait while online

    EditorPane(OpenDocument document, String userId) {
        this.document = document;
        area.setId("editor");
        area.setWrapText(true);
        area.setAccessibleText("Document text");
        area.getStyleClass().add("document");
        status.setId("status");
        status.setAccessibleText("Connection status");
        retryNow.setId("retryNow");
        retryNow.setAccessibleText("Retry now");
        retryNow.setOnAction(e -> document.retryNow());
        retryNow.managedProperty().bind(retryNow.visibleProperty());
        binding = TextBinding.bind(area, document.doc(), OpenDocument.TEXT);
        document.addListener(s -> Platform.runLater(() -> show(s)));
        show(document.status());
        ticker = new Timeline(new KeyFrame(javafx.util.Duration.seconds(1), e -> show(document.status())));
        ticker.setCycleCount(Timeline.INDEFINITE);
        ticker.play();

        findBar = new FindBar(area, binding);
        setCenter(new VirtualizedScrollPane<>(area));
        setTop(findBar);
        PresenceLayer presence = new PresenceLayer(area, document, userId);
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        Label words = new Label();
        words.setId("words");
        words.setAccessibleText("Word count");
        WordCount.follow(area, words);
        HBox bar = new HBox(12, status, retryNow, gap, presence.whoIsHere(), words);
        bar.getStyleClass().add("status-bar");
        bar.setAlignment(Pos.CENTER_LEFT);
        setBottom(bar);
    }

    StyleClassedTextArea area() {
        return area;
    }

    TextBinding binding() {
        return binding;
    }

    OpenDocument document() {
        return document;
    }

    void find() {
        findBar.show();
    }

    /** Shows the status again now (Shortcut+S: there is nothing to save, so it says that it is saved). */
    void refresh() {
        show(document.status());
    }

    private void show(DocumentStatus s) {
        Instant now = Instant.now();
        // Every keystroke is queued until the server's ack, a few milliseconds later: online, that is "saved", and
        // the bar says "sending N edits" only once edits have waited a second (a slow link), instead of flickering.
        boolean sending = s.connection().state() == ConnectionState.CONNECTED && s.queued() > 0;
        if (!sending) {
            sendingSince = null;
        } else if (sendingSince == null) {
            sendingSince = now;
        }
        DocumentStatus shown = sending && Duration.between(sendingSince, now).toMillis() < 1000 ? s.withQueued(0) : s;
        status.setText(StatusLine.describe(shown, now));
        retryNow.setVisible(s.connection().state() == ConnectionState.RECONNECTING);
        area.setEditable(!s.readOnly());
    }

    /** The window goes or the session ended: the connection closes; anything queued stays in the outbox. */
    void dispose() {
        ticker.stop();
        binding.dispose();
        document.close();
    }
}
