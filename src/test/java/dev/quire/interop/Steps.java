package dev.quire.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quire.crdt.AbstractType;
import dev.quire.crdt.Doc;
import dev.quire.crdt.YArray;
import dev.quire.crdt.YMap;
import dev.quire.crdt.YText;
import dev.quire.crdt.encoding.Any;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Edit steps in the format of src/test/js/steps.mjs (the peer's "script" op), built in Java and run on a Quire
 * {@link Doc} by {@link #run}, so that one script drives both implementations. Every top-level step is one
 * transaction; {@link #transact} groups steps into one.
 */
final class Steps {
    /** Root names used by the interop tests (the same as random-edits.mjs). */
    static final String TEXT = "content";
    static final String MAP = "m";
    static final String ARRAY = "arr";
    static final Map<String, String> ROOTS = Map.of(TEXT, "text", MAP, "map", ARRAY, "array");

    private Steps() {
    }

    // ---- building steps ----

    static ObjectNode insert(int index, String text) {
        return step("insert").put("name", TEXT).put("index", index).put("text", text);
    }

    static ObjectNode insert(int index, String text, Map<String, ?> attrs) {
        ObjectNode s = insert(index, text);
        s.set("attrs", Wire.toWire(attrs));
        return s;
    }

    static ObjectNode delete(int index, int len) {
        return step("delete").put("name", TEXT).put("index", index).put("len", len);
    }

    static ObjectNode format(int index, int len, Map<String, ?> attrs) {
        ObjectNode s = step("format").put("name", TEXT).put("index", index).put("len", len);
        s.set("attrs", Wire.toWire(attrs));
        return s;
    }

    static ObjectNode embed(int index, Map<String, ?> value) {
        ObjectNode s = step("embed").put("name", TEXT).put("index", index);
        s.set("value", Wire.toWire(value));
        return s;
    }

    static ObjectNode embed(int index, Map<String, ?> value, Map<String, ?> attrs) {
        ObjectNode s = embed(index, value);
        s.set("attrs", Wire.toWire(attrs));
        return s;
    }

    static ObjectNode mapSet(String key, Object value) {
        ObjectNode s = step("mapSet").put("name", MAP).put("key", key);
        s.set("value", Wire.toWire(value));
        return s;
    }

    static ObjectNode mapDelete(String key) {
        return step("mapDelete").put("name", MAP).put("key", key);
    }

    static ObjectNode arrayInsert(int index, List<?> values) {
        ObjectNode s = step("arrayInsert").put("name", ARRAY).put("index", index);
        s.set("values", Wire.toWire(values));
        return s;
    }

    static ObjectNode arrayDelete(int index, int len) {
        return step("arrayDelete").put("name", ARRAY).put("index", index).put("len", len);
    }

    /**
     * Y.Array#push: appends after the last item even when it is deleted, where an insert at the length appends after
     * the last visible one. Not a yjs-peer.mjs step: run it in Yjs with {@link YjsPeer#runSteps}.
     */
    static ObjectNode arrayPush(List<?> values) {
        ObjectNode s = step("arrayPush").put("name", ARRAY);
        s.set("values", Wire.toWire(values));
        return s;
    }

    static ObjectNode transact(JsonNode... steps) {
        return transact(List.of(steps));
    }

    static ObjectNode transact(List<? extends JsonNode> steps) {
        ObjectNode s = step("transact");
        ArrayNode a = s.putArray("steps");
        steps.forEach(a::add);
        return s;
    }

    private static ObjectNode step(String t) {
        return YjsPeer.JSON.createObjectNode().put("t", t);
    }

    // ---- running steps on Quire ----

    /** Runs one top-level step as one transaction, as steps.mjs runTopLevelStep does. */
    static void run(Doc doc, JsonNode step) {
        doc.transact(t -> runStep(doc, step));
    }

    private static void runStep(Doc doc, JsonNode step) {
        String name = step.path("name").asText();
        int index = step.path("index").asInt();
        switch (step.path("t").asText()) {
            case "insert" -> {
                Map<String, Object> attrs = attrs(step);
                doc.getText(name).insert(index, step.get("text").asText(), attrs);
            }
            case "delete" -> doc.getText(name).delete(index, step.get("len").asInt());
            case "format" -> doc.getText(name).format(index, step.get("len").asInt(), attrs(step));
            case "embed" -> doc.getText(name).insertEmbed(index, Wire.toJava(step.get("value")), attrs(step));
            case "mapSet" -> setInMap(doc.getMap(name), step.get("key").asText(), Wire.toJava(step.get("value")));
            case "mapDelete" -> doc.getMap(name).delete(step.get("key").asText());
            case "arrayInsert" -> {
                @SuppressWarnings("unchecked")
                List<Object> values = (List<Object>) Wire.toJava(step.get("values"));
                insertInArray(doc.getArray(name), index, values);
            }
            case "arrayDelete" -> doc.getArray(name).delete(index, step.get("len").asInt());
            case "arrayPush" -> doc.getArray(name).push((List<?>) Wire.toJava(step.get("values")));
            case "transact" -> step.get("steps").forEach(s -> runStep(doc, s));
            default -> throw new IllegalArgumentException("unknown step type: " + step);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> attrs(JsonNode step) {
        JsonNode a = step.get("attrs");
        return a == null || a.isNull() ? null : (Map<String, Object>) Wire.toJava(a);
    }

    /*
     * Yjs fills a prelim type (new Y.Map() with entries set before insertion) while the item holding it integrates
     * (YMap._integrate, YArray._integrate, YText._integrate), so its content gets the clocks right after the type's
     * item. Quire has no prelim types; creating the empty type and filling it at once gives the same structs.
     */

    private static void setInMap(YMap map, String key, Object value) {
        if (value instanceof Wire.Prelim p) {
            AbstractType type = newType(p);
            map.set(key, type);
            fill(type, p);
        } else {
            map.set(key, value);
        }
    }

    private static void insertInArray(YArray array, int index, List<Object> values) {
        List<Object> run = new ArrayList<>();
        for (Object v : values) {
            if (v instanceof Wire.Prelim p) {
                AbstractType type = newType(p);
                run.add(type);
                array.insert(index, run);
                index += run.size();
                run.clear();
                fill(type, p);
            } else {
                run.add(v);
            }
        }
        if (!run.isEmpty()) {
            array.insert(index, run);
        }
    }

    private static AbstractType newType(Wire.Prelim p) {
        return switch (p.tag()) {
            case Wire.Prelim.MAP -> new YMap();
            case Wire.Prelim.ARRAY -> new YArray();
            case Wire.Prelim.TEXT -> new YText();
            default -> throw new IllegalArgumentException(p.tag());
        };
    }

    @SuppressWarnings("unchecked")
    private static void fill(AbstractType type, Wire.Prelim p) {
        if (type instanceof YMap m) {
            Map<String, Object> entries = (Map<String, Object>) p.content();
            // a JavaScript Map iterates in insertion order, which Object.entries gave in JS key order
            for (String k : Any.jsKeyOrder(entries)) {
                setInMap(m, k, entries.get(k));
            }
        } else if (type instanceof YArray a) {
            insertInArray(a, 0, (List<Object>) p.content());
        } else {
            ((YText) type).insert(0, (String) p.content());
        }
    }
}
