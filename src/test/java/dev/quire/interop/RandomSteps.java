package dev.quire.interop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Seeded random edit steps valid for a replica's current content, in the spirit of Yjs's tests/testHelper.js
 * (applyRandomTests) and src/test/js/random-edits.mjs: text inserts with emoji, CJK and combining marks, deletes,
 * formats, embeds, map sets and deletes, array inserts and deletes, and now and then several of them in one
 * transaction.
 */
final class RandomSteps {
    private static final String ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String PUNCT = " .,;:!?-_'\"()[]{}/\\\t";
    private static final String[] LATIN = {"é", "ü", "ß", "ø", "ñ", "Ω", "ж", "ა", "e\u0301", "\u0308"};
    private static final String[] CJK = {"世", "界", "你", "好", "日", "本", "語", "한", "국", "の"};
    private static final String[] EMOJI = {"😀", "🎉", "👍", "🚀", "🦄", "𝄞", "𠜎", "❤️", "👩‍💻", "🇩🇪", "👍🏽"};
    private static final String[] MAP_KEYS = {"a", "b", "c", "d", "e", "key", "ключ", "鍵"};
    private static final Object[] NUMBERS = {0L, 1L, -1L, 42L, -1000L, 2147483647L, -2147483647L, 2147483648L,
        1099511627776L, 1099511627777L, 0.5, -2.25, 0.1, 1.0 / 3, 1e300, 123456.789};
    private static final List<Map<String, Object>> FORMATS = List.of(
            attrs("bold", true), attrs("italic", true), attrs("bold", null), attrs("italic", null),
            attrs("color", "#ff0000"), attrs("color", null), attrs("bold", true, "italic", true),
            attrs("link", attrs("href", "https://quire.dev/x")), attrs("size", 12L), attrs("header", 2L));
    private static final List<Map<String, Object>> INSERT_ATTRS = List.of(attrs("bold", true), attrs("italic", true),
            attrs("color", "#00ff00"), attrs("bold", true, "color", "#0000ff"), Map.of());

    private final Random rng;
    /** Also insert and delete between the two halves of a surrogate pair (Yjs turns the halves into U+FFFD). */
    private final boolean splitSurrogates;
    /** Also nested Y.Map / Y.Array / Y.Text and byte arrays as map and array values. */
    private final boolean rich;

    RandomSteps(Random rng, boolean splitSurrogates, boolean rich) {
        this.rng = rng;
        this.splitSurrogates = splitSurrogates;
        this.rich = rich;
    }

    /**
     * One top-level step for a replica whose text has these UTF-16 units (embeds as one unit) and whose array has
     * this length. A transaction step's inner steps are chosen against the content as they change it.
     */
    ObjectNode next(String units, int arrayLength) {
        Shadow shadow = new Shadow(new StringBuilder(units), arrayLength);
        if (rng.nextInt(100) < 8) {
            List<ObjectNode> steps = new ArrayList<>();
            int n = 2 + rng.nextInt(3);
            for (int i = 0; i < n; i++) {
                steps.add(step(shadow));
            }
            return Steps.transact(steps);
        }
        return step(shadow);
    }

    /** The content a transaction's inner steps see: text units and array length, updated step by step. */
    private record Shadow(StringBuilder text, int[] arrayLength) {
        Shadow(StringBuilder text, int arrayLength) {
            this(text, new int[] {arrayLength});
        }
    }

    private ObjectNode step(Shadow s) {
        StringBuilder text = s.text();
        int r = rng.nextInt(100);
        if (r < 40 || text.length() == 0 && r < 70) {
            int index = position(text, text.length() + 1);
            String str = randomString();
            text.insert(index, str);
            return rng.nextInt(5) == 0 ? Steps.insert(index, str, pick(INSERT_ATTRS)) : Steps.insert(index, str);
        }
        if (r < 62) {
            int[] range = range(text, 6, splitSurrogates);
            text.delete(range[0], range[0] + range[1]);
            return Steps.delete(range[0], range[1]);
        }
        if (r < 70) {
            // never inside a surrogate pair: Yjs splits the pair locally (both halves become U+FFFD) even when the
            // format changes nothing and no update is sent, so the replicas would diverge in Yjs itself
            int[] range = range(text, 12, false);
            return Steps.format(range[0], range[1], pick(FORMATS));
        }
        if (r < 74) {
            int index = position(text, text.length() + 1);
            text.insert(index, '\uFFFC');
            Map<String, Object> image = attrs("image", "img-" + rng.nextInt(1000) + ".png");
            return rng.nextInt(3) == 0 ? Steps.embed(index, image, attrs("width", (long) rng.nextInt(500)))
                    : Steps.embed(index, image);
        }
        if (r < 84) {
            return Steps.mapSet(pick(MAP_KEYS), topValue());
        }
        if (r < 87) {
            return Steps.mapDelete(pick(MAP_KEYS));
        }
        int[] arrayLength = s.arrayLength();
        if (r < 96 || arrayLength[0] == 0) {
            int index = rng.nextInt(arrayLength[0] + 1);
            List<Object> values = new ArrayList<>();
            for (int i = rng.nextInt(3); i >= 0; i--) {
                values.add(topValue());
            }
            arrayLength[0] += values.size();
            return Steps.arrayInsert(index, values);
        }
        int index = rng.nextInt(arrayLength[0]);
        int len = 1 + rng.nextInt(Math.min(3, arrayLength[0] - index));
        arrayLength[0] -= len;
        return Steps.arrayDelete(index, len);
    }

    /** A random index below {@code bound}, moved off the middle of a surrogate pair unless splitting is wanted. */
    private int position(CharSequence text, int bound) {
        return position(text, bound, splitSurrogates);
    }

    private int position(CharSequence text, int bound, boolean split) {
        int i = rng.nextInt(bound);
        if (split && rng.nextInt(10) == 0) {
            return i;
        }
        while (i > 0 && i < text.length() && Character.isLowSurrogate(text.charAt(i))
                && Character.isHighSurrogate(text.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    /** {index, len} of a non-empty range of at most {@code maxCodePoints} code points; empty text gives {0, 0}. */
    private int[] range(CharSequence text, int maxCodePoints, boolean split) {
        if (text.length() == 0) {
            return new int[] {0, 0};
        }
        int start = position(text, text.length(), split);
        int end = start;
        for (int k = 1 + rng.nextInt(maxCodePoints); k > 0 && end < text.length(); k--) {
            end += Character.isHighSurrogate(text.charAt(end)) && end + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(end + 1)) && !(split && rng.nextInt(10) == 0)
                    ? 2 : 1;
        }
        return new int[] {start, end - start};
    }

    String randomString() {
        int n = weighted(new int[] {6, 4, 3, 2, 1}, new Integer[] {1, 2, 3, 5, 8});
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            List<Supplier<String>> pools = List.of(
                    () -> String.valueOf(ASCII.charAt(rng.nextInt(ASCII.length()))),
                    () -> String.valueOf(PUNCT.charAt(rng.nextInt(PUNCT.length()))),
                    () -> "\n", () -> pick(LATIN), () -> pick(CJK), () -> pick(EMOJI));
            Supplier<String> pool = weighted(new int[] {50, 12, 5, 10, 12, 11}, pools.toArray());
            sb.append(pool.get());
        }
        return sb.toString();
    }

    private Object topValue() {
        if (rich) {
            switch (rng.nextInt(12)) {
                case 0:
                    return Wire.ymap(attrs("x", value(1), "y", randomString()));
                case 1:
                    return Wire.yarray(java.util.Arrays.asList(value(0), value(0)));
                case 2:
                    return Wire.ytext(randomString());
                case 3:
                    byte[] b = new byte[rng.nextInt(6)];
                    rng.nextBytes(b);
                    return b;
                default:
                    break;
            }
        }
        return value(2);
    }

    /** A JSON value exercising lib0 writeAny: int31 edges, float32-exact and float64 numbers, nesting. */
    private Object value(int depth) {
        int r = rng.nextInt(depth > 0 ? 20 : 16);
        if (r < 5) {
            return pick(NUMBERS);
        }
        if (r < 8) {
            return (long) (rng.nextInt(200_001) - 100_000);
        }
        if (r < 13) {
            return randomString();
        }
        if (r < 15) {
            return rng.nextBoolean();
        }
        if (r < 16) {
            return null;
        }
        if (r < 18) {
            Map<String, Object> o = new LinkedHashMap<>();
            for (int i = rng.nextInt(4); i > 0; i--) {
                o.put("k" + rng.nextInt(10), value(depth - 1));
            }
            return o;
        }
        List<Object> a = new ArrayList<>();
        for (int i = rng.nextInt(4); i > 0; i--) {
            a.add(value(depth - 1));
        }
        return a;
    }

    private <T> T pick(T[] a) {
        return a[rng.nextInt(a.length)];
    }

    private <T> T pick(List<T> a) {
        return a.get(rng.nextInt(a.size()));
    }

    @SuppressWarnings("unchecked")
    private <T> T weighted(int[] weights, Object[] values) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int r = rng.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            if ((r -= weights[i]) < 0) {
                return (T) values[i];
            }
        }
        return (T) values[values.length - 1];
    }

    /** A map with these keys in this order; null values allowed (they remove a format). */
    static Map<String, Object> attrs(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
