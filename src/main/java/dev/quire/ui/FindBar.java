package dev.quire.ui;

import java.util.Locale;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import org.fxmisc.richtext.StyleClassedTextArea;

/**
 * Find and replace (Shortcut+F): Enter selects the next match (case-insensitive, wrapping around); "Replace all"
 * replaces every match in one edit of the document, so one undo takes it back and others see one change.
 */
final class FindBar extends HBox {
    private final StyleClassedTextArea area;
    private final TextBinding binding;
    private final TextField find = new TextField();
    private final TextField replace = new TextField();
    private final Label count = new Label();

    FindBar(StyleClassedTextArea area, TextBinding binding) {
        super(6);
        this.area = area;
        this.binding = binding;
        setPadding(new Insets(4));
        find.setId("find");
        find.setPromptText("Find");
        find.setAccessibleText("Find");
        replace.setId("replace");
        replace.setPromptText("Replace with");
        replace.setAccessibleText("Replace with");
        count.setId("matches");
        Button all = new Button("Replace all");
        all.setId("replaceAll");
        all.setOnAction(e -> replaceAll());
        find.setOnAction(e -> next());
        find.textProperty().addListener((o, was, now) -> count.setText(describe(matches(now))));
        find.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                hide();
            }
        });
        getChildren().addAll(find, replace, all, count);
        setVisible(false);
        managedProperty().bind(visibleProperty());
    }

    void show() {
        setVisible(true);
        find.requestFocus();
        find.selectAll();
    }

    void hide() {
        setVisible(false);
        area.requestFocus();
    }

    /** Selects the next match after the caret, wrapping to the start. */
    private void next() {
        String needle = find.getText();
        if (needle.isEmpty()) {
            return;
        }
        String hay = area.getText().toLowerCase(Locale.ROOT);
        String n = needle.toLowerCase(Locale.ROOT);
        int from = area.getSelection().getEnd();
        int at = hay.indexOf(n, from);
        if (at < 0) {
            at = hay.indexOf(n);
        }
        if (at >= 0) {
            area.selectRange(at, at + needle.length());
            area.requestFollowCaret();
        }
    }

    private void replaceAll() {
        int n = binding.replaceAll(find.getText(), replace.getText());
        count.setText(n == 1 ? "1 replaced" : n + " replaced");
    }

    private int matches(String needle) {
        if (needle.isEmpty()) {
            return 0;
        }
        String hay = area.getText().toLowerCase(Locale.ROOT);
        String n = needle.toLowerCase(Locale.ROOT);
        int found = 0;
        for (int at = hay.indexOf(n); at >= 0; at = hay.indexOf(n, at + n.length())) {
            found++;
        }
        return found;
    }

    private static String describe(int n) {
        return n == 0 ? "" : n == 1 ? "1 match" : n + " matches";
    }
}
