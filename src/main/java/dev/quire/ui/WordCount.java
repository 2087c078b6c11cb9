package dev.quire.ui;

/** The status bar's word count: runs of letters or digits (with inner apostrophes and hyphens), as editors count. */
final class WordCount {
    private WordCount() {
    }

    static int of(CharSequence text) {
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean part = Character.isLetterOrDigit(c)
                    || inWord && (c == '\'' || c == '’' || c == '-') && i + 1 < text.length()
                    && Character.isLetterOrDigit(text.charAt(i + 1));
            if (part && !inWord) {
                words++;
            }
            inWord = part;
        }
        return words;
    }

    /**
     * Keeps {@code label} showing the area's word count: at once, then a moment after typing pauses. Counting reads
     * the whole text, which in a long document costs more than a keystroke may (issue 7: one frame per keystroke).
     */
    static void follow(org.fxmisc.richtext.GenericStyledArea<?, ?, ?> area, javafx.scene.control.Label label) {
        label.setText(describe(area.getText()));
        javafx.animation.PauseTransition settle = new javafx.animation.PauseTransition(
                javafx.util.Duration.millis(250));
        settle.setOnFinished(e -> label.setText(describe(area.getText())));
        area.plainTextChanges().subscribe(change -> settle.playFromStart());
    }

    /** "1 word", "12 words". */
    static String describe(CharSequence text) {
        int n = of(text);
        return n == 1 ? "1 word" : n + " words";
    }
}
