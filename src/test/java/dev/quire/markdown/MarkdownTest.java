package dev.quire.markdown;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Markdown out of a delta and back: every format Quire has, escaping, and the common spellings read on import. */
class MarkdownTest {
    private static Map<String, Object> op(String text, Object... attrs) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("insert", text);
        if (attrs.length > 0) {
            Map<String, Object> a = new LinkedHashMap<>();
            for (int i = 0; i < attrs.length; i += 2) {
                a.put((String) attrs[i], attrs[i + 1]);
            }
            op.put("attributes", a);
        }
        return op;
    }

    private static final List<Map<String, Object>> DOC = List.of(
            op("Title"), op("\n", "header", 1),
            op("Some "), op("bold", "bold", true), op(", "), op("italic", "italic", true), op(", "),
            op("gone", "strike", true), op(", "), op("x = 1", "code", true), op(", "),
            op("under", "underline", true), op(" and a "), op("link", "link", "https://example.com/a b"),
            op(".\nFirst"), op("\n", "list", "bullet"), op("Second"), op("\n", "list", "bullet"),
            op("One"), op("\n", "list", "ordered"), op("Two"), op("\n", "list", "ordered"),
            op("2 * 3 = [six] #not a heading_"));

    private static final String MD = """
            # Title
            Some **bold**, *italic*, ~~gone~~, `x = 1`, <u>under</u> and a [link](https://example.com/a%20b).
            - First
            - Second
            1. One
            2. Two
            2 \\* 3 = \\[six\\] \\#not a heading\\_""";

    @Test
    void everyFormatIsWrittenAsMarkdownWritesIt() {
        assertEquals(MD, Markdown.fromDelta(DOC));
    }

    @Test
    void whatIsWrittenReadsBackAsTheSameDelta() {
        assertEquals(DOC, Markdown.toDelta(MD));
    }

    @Test
    void commonSpellingsAndUnclosedMarksAreRead() {
        assertEquals(List.of(op("bold", "bold", true), op(" "), op("it", "italic", true), op(" * not a mark")),
                Markdown.toDelta("__bold__ _it_ * not a mark"));
        assertEquals(List.of(op("Deep"), op("\n", "header", 3), op("item"), op("\n", "list", "bullet")),
                Markdown.toDelta("##### Deep\n* item\n"));
        assertEquals(List.of(op("[not a link")), Markdown.toDelta("[not a link"));
        assertEquals(List.of(op("nested bold ", "italic", true), op("and", "italic", true, "bold", true)),
                Markdown.toDelta("*nested bold **and***"));
    }
}
