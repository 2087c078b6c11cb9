package dev.quire.markdown;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A rich text's delta as Markdown and back, for the formats Quire has: headings 1-3, bulleted and numbered lists
 * (paragraph attributes on the closing newline, as Quill keeps them), bold, italic, strikethrough, inline code, links,
 * and underline (which Markdown lacks: written as {@code <u>…</u>}, as CommonMark allows inline HTML). Characters
 * Markdown would read as formatting are escaped with a backslash, so text survives the round trip as typed.
 */
public final class Markdown {
    private Markdown() {
    }

    /** Markdown for {@code delta} (ops with {@code insert} and optional {@code attributes}). */
    public static String fromDelta(List<Map<String, Object>> delta) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder();
        int ordered = 0;
        for (Map<String, Object> op : delta) {
            if (!(op.get("insert") instanceof String s)) {
                continue; // embeds have no Markdown here
            }
            Map<String, Object> attrs = attributes(op);
            int from = 0;
            for (int nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', from)) {
                line.append(inline(s.substring(from, nl), attrs));
                ordered = "ordered".equals(attrs.get("list")) ? ordered + 1 : 0;
                out.append(prefix(attrs, ordered)).append(line).append('\n');
                line.setLength(0);
                from = nl + 1;
            }
            line.append(inline(s.substring(from), attrs));
        }
        if (!line.isEmpty()) {
            out.append(line);
        }
        return out.toString();
    }

    /** The delta for Markdown text (what {@link #fromDelta} writes, and the common forms of the same formats). */
    public static List<Map<String, Object>> toDelta(String markdown) {
        Ops ops = new Ops();
        String[] lines = markdown.replace("\r\n", "\n").split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            boolean last = i == lines.length - 1;
            if (last && line.isEmpty()) {
                break; // the text ended with a newline
            }
            Map<String, Object> block = new LinkedHashMap<>();
            String body = line;
            int hashes = 0;
            while (hashes < body.length() && body.charAt(hashes) == '#') {
                hashes++;
            }
            if (hashes >= 1 && hashes <= 6 && body.length() > hashes && body.charAt(hashes) == ' ') {
                block.put("header", Math.min(hashes, 3));
                body = body.substring(hashes + 1);
            } else if (body.startsWith("- ") || body.startsWith("* ") || body.startsWith("+ ")) {
                block.put("list", "bullet");
                body = body.substring(2);
            } else {
                int d = 0;
                while (d < body.length() && Character.isDigit(body.charAt(d))) {
                    d++;
                }
                if (d > 0 && body.startsWith(". ", d)) {
                    block.put("list", "ordered");
                    body = body.substring(d + 2);
                }
            }
            new InlineParser(body, ops).parse(new LinkedHashMap<>());
            if (!last) {
                ops.add("\n", block);
            }
        }
        return ops.list;
    }

    private static String prefix(Map<String, Object> attrs, int ordered) {
        if (attrs.get("header") instanceof Number n && n.intValue() >= 1) {
            return "#".repeat(Math.min(n.intValue(), 6)) + " ";
        }
        if ("bullet".equals(attrs.get("list"))) {
            return "- ";
        }
        if ("ordered".equals(attrs.get("list"))) {
            return ordered + ". ";
        }
        return "";
    }

    private static String inline(String text, Map<String, Object> attrs) {
        if (text.isEmpty()) {
            return "";
        }
        String s = Boolean.TRUE.equals(attrs.get("code")) ? "`" + text.replace("`", "\\`") + "`" : escape(text);
        if (Boolean.TRUE.equals(attrs.get("strike"))) {
            s = "~~" + s + "~~";
        }
        if (Boolean.TRUE.equals(attrs.get("italic"))) {
            s = "*" + s + "*";
        }
        if (Boolean.TRUE.equals(attrs.get("bold"))) {
            s = "**" + s + "**";
        }
        if (Boolean.TRUE.equals(attrs.get("underline"))) {
            s = "<u>" + s + "</u>";
        }
        if (attrs.get("link") instanceof String url) {
            s = "[" + s + "](" + url.replace(")", "%29").replace(" ", "%20") + ")";
        }
        return s;
    }

    private static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ("\\*_`[]~<#".indexOf(c) >= 0 || c == '-' && i == 0 || c == '+' && i == 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> attributes(Map<String, Object> op) {
        return op.get("attributes") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** Ops under construction: adjacent inserts with equal attributes merge, as Yjs's toDelta gives them. */
    private static final class Ops {
        final List<Map<String, Object>> list = new ArrayList<>();

        void add(String text, Map<String, Object> attrs) {
            if (text.isEmpty()) {
                return;
            }
            if (!list.isEmpty()) {
                Map<String, Object> prev = list.get(list.size() - 1);
                if (Objects.equals(prev.get("attributes"), attrs.isEmpty() ? null : attrs)) {
                    prev.put("insert", prev.get("insert") + text);
                    return;
                }
            }
            Map<String, Object> op = new LinkedHashMap<>();
            op.put("insert", text);
            if (!attrs.isEmpty()) {
                op.put("attributes", new LinkedHashMap<>(attrs));
            }
            list.add(op);
        }
    }

    /** One line's inline formats: emphasis marks open and close attributes; a mark with no closer is text. */
    private static final class InlineParser {
        private final String s;
        private final Ops ops;
        private int i;

        InlineParser(String s, Ops ops) {
            this.s = s;
            this.ops = ops;
        }

        void parse(Map<String, Object> attrs) {
            parseUntil(null, attrs);
        }

        /** Reads until {@code closer} (consumed) or the end; true when the closer was found. */
        private boolean parseUntil(String closer, Map<String, Object> attrs) {
            StringBuilder text = new StringBuilder();
            while (i < s.length()) {
                if (closer != null && s.startsWith(closer, i) && !opensDouble(closer)) {
                    ops.add(text.toString(), attrs);
                    i += closer.length();
                    return true;
                }
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    text.append(s.charAt(i + 1));
                    i += 2;
                    continue;
                }
                String mark = c == '`' ? "`" : s.startsWith("**", i) ? "**" : s.startsWith("__", i) ? "__"
                        : s.startsWith("~~", i) ? "~~" : s.startsWith("<u>", i) ? "<u>" : c == '*' ? "*"
                        : c == '_' ? "_" : c == '[' ? "[" : null;
                if (mark != null && s.indexOf(closerOf(mark), i + mark.length() + 1) > 0) {
                    ops.add(text.toString(), attrs);
                    text.setLength(0);
                    if (!span(mark, attrs)) {
                        ops.add(mark, attrs); // not a span after all (a bracket with no link): the mark is text
                        i += mark.length();
                    }
                    continue;
                }
                text.append(c);
                i++;
            }
            ops.add(text.toString(), attrs);
            return closer == null;
        }

        /** "*" or "_" met as "**" or "__" with a closer ahead: a nested bold, not the end of the italic. */
        private boolean opensDouble(String closer) {
            String twice = closer + closer;
            return (closer.equals("*") || closer.equals("_")) && s.startsWith(twice, i)
                    && s.indexOf(twice, i + 2) > 0;
        }

        private boolean span(String mark, Map<String, Object> attrs) {
            int start = i;
            i += mark.length();
            if (mark.equals("`")) {
                int end = s.indexOf('`', i);
                Map<String, Object> a = with(attrs, "code", true);
                ops.add(s.substring(i, end), a);
                i = end + 1;
                return true;
            }
            if (mark.equals("[")) {
                int close = s.indexOf("](", i);
                int paren = close < 0 ? -1 : s.indexOf(')', close + 2);
                if (close < 0 || paren < 0) {
                    i = start;
                    return false;
                }
                String url = s.substring(close + 2, paren).replace("%29", ")").replace("%20", " ");
                String inner = s.substring(i, close);
                new InlineParser(inner, ops).parse(with(attrs, "link", url));
                i = paren + 1;
                return true;
            }
            String attribute = switch (mark) {
                case "**", "__" -> "bold";
                case "*", "_" -> "italic";
                case "~~" -> "strike";
                default -> "underline";
            };
            parseUntil(closerOf(mark), with(attrs, attribute, true)); // the closer is known to follow
            return true;
        }

        private static String closerOf(String mark) {
            return switch (mark) {
                case "<u>" -> "</u>";
                case "[" -> "](";
                default -> mark;
            };
        }

        private static Map<String, Object> with(Map<String, Object> attrs, String key, Object value) {
            Map<String, Object> m = new LinkedHashMap<>(attrs);
            m.put(key, value);
            return m;
        }
    }
}
