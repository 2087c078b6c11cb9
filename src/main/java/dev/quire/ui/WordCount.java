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

    /** "1 word", "12 words". */
    static String describe(CharSequence text) {
        int n = of(text);
        return n == 1 ? "1 word" : n + " words";
    }
}
