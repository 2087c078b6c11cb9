package dev.quire.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quire.crdt.AbstractType;
import dev.quire.crdt.encoding.Any;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Values between Quire's Java shapes and the peer's JSON wire form (src/test/js/codec.mjs): plain JSON, plus objects
 * with a single tag key: {"$bytes": base64}, {"$bigint": "123"}, {"$undefined": true}, and for nested shared types
 * {"$ymap": {...}}, {"$yarray": [...]}, {"$ytext": "..."}.
 */
final class Wire {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Wire() {
    }

    /** A nested shared type to create with this content, as Yjs's prelim {@code new Y.Map()} etc. */
    record Prelim(String tag, Object content) {
        static final String MAP = "$ymap";
        static final String ARRAY = "$yarray";
        static final String TEXT = "$ytext";
    }

    static Prelim ymap(Map<String, ?> entries) {
        return new Prelim(Prelim.MAP, entries);
    }

    static Prelim yarray(List<?> values) {
        return new Prelim(Prelim.ARRAY, values);
    }

    static Prelim ytext(String text) {
        return new Prelim(Prelim.TEXT, text);
    }

    /** Java value (JSON-like, byte[], BigInteger, Any.UNDEFINED, Prelim) to wire JSON. */
    static JsonNode toWire(Object v) {
        if (v == null) {
            return NODES.nullNode();
        }
        if (v == Any.UNDEFINED) {
            return NODES.objectNode().put("$undefined", true);
        }
        if (v instanceof JsonNode n) {
            return n;
        }
        if (v instanceof String s) {
            return NODES.textNode(s);
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (v instanceof BigInteger big) {
            return NODES.objectNode().put("$bigint", big.toString());
        }
        if (v instanceof Long || v instanceof Integer) {
            return NODES.numberNode(((Number) v).longValue());
        }
        if (v instanceof Number n) {
            return NODES.numberNode(n.doubleValue());
        }
        if (v instanceof byte[] bytes) {
            return NODES.objectNode().put("$bytes", Base64.getEncoder().encodeToString(bytes));
        }
        if (v instanceof Prelim p) {
            ObjectNode o = NODES.objectNode();
            o.set(p.tag(), toWire(p.content()));
            return o;
        }
        if (v instanceof List<?> list) {
            ArrayNode a = NODES.arrayNode();
            list.forEach(x -> a.add(toWire(x)));
            return a;
        }
        if (v instanceof Map<?, ?> map) {
            ObjectNode o = NODES.objectNode();
            map.forEach((k, x) -> o.set((String) k, toWire(x)));
            return o;
        }
        throw new IllegalArgumentException("no wire form for " + v.getClass().getName());
    }

    /** Wire JSON to Quire's Java shapes: integers as Long, other numbers as Double, tags decoded. */
    static Object toJava(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? (Object) n.longValue() : (Object) n.doubleValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isArray()) {
            List<Object> out = new ArrayList<>(n.size());
            n.forEach(x -> out.add(toJava(x)));
            return out;
        }
        if (n.size() == 1) {
            String key = n.fieldNames().next();
            JsonNode x = n.get(key);
            switch (key) {
                case "$bytes":
                    return Base64.getDecoder().decode(x.asText());
                case "$bigint":
                    return new BigInteger(x.asText());
                case "$undefined":
                    return Any.UNDEFINED;
                case Prelim.MAP:
                case Prelim.ARRAY:
                case Prelim.TEXT:
                    return new Prelim(key, toJava(x));
                default:
                    break;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), toJava(e.getValue()));
        }
        return out;
    }

    /** A byte array, bigint or undefined in comparable form: its wire JSON, e.g. {"$bytes":"AAE="}. */
    record Tagged(String wire) {
        @Override
        public String toString() {
            return wire;
        }
    }

    /**
     * A comparable form of a value from either side: every number a double (JavaScript has one number type, and
     * Quire decodes integers as Long), -0 as 0 (JSON.stringify loses the sign), map keys sorted (key order depends
     * on integration order), byte arrays and other special values in their wire tag form, nested types as JSON.
     */
    static Object normalize(Object v) {
        if (v instanceof JsonNode n) {
            return normalize(toJava(n));
        }
        if (v instanceof AbstractType t) {
            return normalize(t.toJson());
        }
        if (v instanceof Number n && !(v instanceof BigInteger)) {
            double d = n.doubleValue();
            return d == 0 ? 0.0 : d;
        }
        if (v instanceof byte[] || v instanceof BigInteger || v == Any.UNDEFINED) {
            return new Tagged(toWire(v).toString());
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(x -> out.add(normalize(x)));
            return out;
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new TreeMap<>();
            map.forEach((k, x) -> out.put((String) k, normalize(x)));
            return out;
        }
        return v;
    }
}
