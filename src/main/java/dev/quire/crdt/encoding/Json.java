package dev.quire.crdt.encoding;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * JSON exactly as JavaScript's JSON.stringify writes it (key order, number format, escapes), because Yjs stores
 * embeds, format values and JSON content as JSON text and byte identity depends on every character.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    /** Parses JSON text into the value shapes of {@link Any}; throws IllegalArgumentException on malformed text. */
    public static Object parse(String text) {
        try {
            return normalize(MAPPER.readValue(text, Object.class));
        } catch (JsonProcessingException e) {
            // never quote the text: it may be document content (or worse) and ends up in logs
            var at = e.getLocation();
            throw new IllegalArgumentException("malformed JSON" + (at == null ? ""
                    : " at character " + at.getCharOffset()));
        }
    }

    @SuppressWarnings("unchecked")
    private static Object normalize(Object v) {
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof BigInteger big) {
            return big.doubleValue();
        }
        if (v instanceof BigDecimal dec) {
            return dec.doubleValue();
        }
        if (v instanceof List<?> list) {
            List<Object> l = (List<Object>) list;
            l.replaceAll(Json::normalize);
            return l;
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> m = (Map<String, Object>) map;
            m.replaceAll((k, x) -> normalize(x));
            return m;
        }
        return v;
    }

    public static String stringify(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, false);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, boolean inArray) {
        if (v == null || v == Any.UNDEFINED) {
            sb.append(v == null || inArray ? "null" : "undefined");
        } else if (v instanceof String s) {
            quote(sb, s);
        } else if (v instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (v instanceof BigInteger) {
            throw new IllegalArgumentException("BigInt value can't be serialized in JSON");
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            sb.append(Double.isFinite(d) ? numberToString(n) : "null");
        } else if (v instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(sb, list.get(i), true);
            }
            sb.append(']');
        } else if (v instanceof byte[] bytes) {
            sb.append('{');
            for (int i = 0; i < bytes.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append('"').append(i).append("\":").append(bytes[i] & 0xFF);
            }
            sb.append('}');
        } else if (v instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (String key : Any.jsKeyOrder(map)) {
                Object x = map.get(key);
                if (x == Any.UNDEFINED) {
                    continue; // JSON.stringify drops undefined properties
                }
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(sb, key);
                sb.append(':');
                write(sb, x, false);
            }
            sb.append('}');
        } else {
            throw new IllegalArgumentException("not a JSON-like value: " + v.getClass().getName());
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        sb.append(String.format("\\u%04x", (int) c)); // well-formed JSON.stringify (ES2019)
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /**
     * The decimal with the fewest significant digits that reads back as {@code d}, the closest one if several
     * qualify (ECMA-262 Number::toString). Java 17's Double.toString is not always the shortest (4.9E-324 for
     * JavaScript's 5e-324), so it is computed here.
     */
    private static BigDecimal shortestDecimal(double d) {
        BigDecimal exact = new BigDecimal(d);
        for (int p = 1; p <= 17; p++) {
            BigDecimal candidate = exact.round(new java.math.MathContext(p, java.math.RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == d) {
                return candidate.stripTrailingZeros();
            }
            // the nearest p-digit decimal may miss while a neighbour one unit away in the last digit reads back
            BigDecimal unit = BigDecimal.ONE.scaleByPowerOfTen(candidate.precision() - candidate.scale() - p);
            for (BigDecimal neighbour : new BigDecimal[] {candidate.subtract(unit), candidate.add(unit)}) {
                if (neighbour.signum() > 0 && neighbour.doubleValue() == d) {
                    return neighbour.stripTrailingZeros();
                }
            }
        }
        return exact.stripTrailingZeros();
    }

    /** Number.prototype.toString for finite numbers (ECMA-262 Number::toString). */
    static String numberToString(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            long l = n.longValue();
            if (Math.abs(l) < (1L << 53)) {
                return Long.toString(l);
            }
        }
        double d = n.doubleValue();
        if (d == 0) {
            return "0";
        }
        if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
            return Long.toString((long) d);
        }
        String sign = d < 0 ? "-" : "";
        BigDecimal bd = shortestDecimal(Math.abs(d));
        String digits = bd.unscaledValue().toString();
        int k = digits.length();
        int e = k - bd.scale(); // value = 0.digits * 10^e
        StringBuilder sb = new StringBuilder(sign);
        if (k <= e && e <= 21) {
            sb.append(digits).append("0".repeat(e - k));
        } else if (0 < e && e <= 21) {
            sb.append(digits, 0, e).append('.').append(digits, e, k);
        } else if (-6 < e && e <= 0) {
            sb.append("0.").append("0".repeat(-e)).append(digits);
        } else {
            int exp = e - 1;
            sb.append(digits.charAt(0));
            if (k > 1) {
                sb.append('.').append(digits, 1, k);
            }
            sb.append('e').append(exp < 0 ? '-' : '+').append(Math.abs(exp));
        }
        return sb.toString();
    }
}
