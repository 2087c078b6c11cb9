package dev.quire.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WordCountTest {
    @Test
    void countsWordsAsEditorsDo() {
        assertEquals(0, WordCount.of(""));
        assertEquals(0, WordCount.of("  \n\t "));
        assertEquals(2, WordCount.of("hello world"));
        assertEquals(3, WordCount.of("don't stop — well-known"), "apostrophes and hyphens inside a word");
        assertEquals(4, WordCount.of("one,two.three\nfour"));
        assertEquals(2, WordCount.of("Grüße 2026"));
        assertEquals("1 word", WordCount.describe("quire"));
        assertEquals("5 words", WordCount.describe("a b c d e"));
    }
}
