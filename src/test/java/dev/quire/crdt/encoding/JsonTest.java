package dev.quire.crdt.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Yjs stores embeds and format values as JSON text, so Quire must write exactly what JavaScript's JSON.stringify
 * writes: checked against node itself.
 */
class JsonTest {

    private static List<String> nodeStringify(List<String> jsExpressions) throws Exception {
        String script = "const xs = [" + String.join(",", jsExpressions) + "];"
                + "process.stdout.write(JSON.stringify(xs.map(x => JSON.stringify(x))))";
        Process node = new ProcessBuilder("node", "-").redirectErrorStream(true).start();
        try (var stdin = node.getOutputStream()) {
            stdin.write(script.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, node.waitFor(), out);
        @SuppressWarnings("unchecked")
        List<String> result = new ObjectMapper().readValue(out, List.class);
        return result;
    }

    @Test
    void numbersAreWrittenAsJavaScriptWritesThem() throws Exception {
        double[] numbers = {0, -0.0, 1, -1, 0.1, 1.5, 2.5e-7, 1e-7, 1e-6, 123456.789, 1e21, 1.5e21, 1e20,
            123456789012345680000d, 9007199254740993d, 0.000001234, Double.MIN_VALUE, Double.MAX_VALUE, 5e-324,
            1.7976931348623157e308, 4.35, 0.3, 100, 1e100, -2.5e-10, 3.0000000000000004};
        List<String> js = new ArrayList<>();
        List<String> quire = new ArrayList<>();
        for (double d : numbers) {
            js.add(Double.doubleToRawLongBits(d) == Double.doubleToRawLongBits(-0.0) ? "-0" : Double.toString(d)
                    .replace("E", "e"));
            quire.add(Json.stringify(d));
        }
        assertEquals(nodeStringify(js), quire);
    }

    @Test
    void randomDoublesOfEveryMagnitudeAreWrittenAsJavaScriptWritesThem() throws Exception {
        java.util.Random random = new java.util.Random(20261123);
        List<String> js = new ArrayList<>();
        List<String> quire = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (!Double.isFinite(d)) {
                continue;
            }
            // exact bits travel to node as a hex-encoded Float64Array element
            js.add("new Float64Array(new BigUint64Array([0x" + Long.toHexString(Double.doubleToRawLongBits(d))
                    + "n]).buffer)[0]");
            quire.add(Json.stringify(d));
        }
        assertEquals(nodeStringify(js), quire, "seed 20261123");
    }

    @Test
    void stringsObjectsAndArraysAreWrittenAsJavaScriptWritesThem() throws Exception {
        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("b", 1L);
        obj.put("2", "two");
        obj.put("a", List.of(true, false));
        obj.put("1", null);
        obj.put("nested", Map.of("q", "\"quoted\" \\ back\nline\ttab\u0001\u001f"));
        Map<String, Object> withUndefined = new LinkedHashMap<>();
        withUndefined.put("gone", Any.UNDEFINED);
        withUndefined.put("kept", 1L);
        List<Object> values = List.of("plain", "emoji 😀 and 中文", "lone \uD800 surrogate", "\u2028\u2029", obj,
                withUndefined, List.of(1L, "x", Map.of()));
        List<String> js = List.of("'plain'", "'emoji 😀 and 中文'", "'lone \\uD800 surrogate'", "'\\u2028\\u2029'",
                "{b: 1, '2': 'two', a: [true, false], '1': null, nested: {q: '\"quoted\" \\\\ back\\nline\\ttab\\u0001\\u001f'}}",
                "{gone: undefined, kept: 1}", "[1, 'x', {}]");
        List<String> quire = new ArrayList<>();
        for (Object v : values) {
            quire.add(Json.stringify(v));
        }
        assertEquals(nodeStringify(js), quire);
    }

    @Test
    void parsesWhatItWritesAndRejectsMalformedText() {
        Object parsed = Json.parse("{\"a\":[1,2.5,\"x\",null,true],\"b\":{}}");
        assertEquals("{\"a\":[1,2.5,\"x\",null,true],\"b\":{}}", Json.stringify(parsed));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":"));
    }

    @Test
    void errorsNeverQuoteTheTextTheyReject() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.parse("{\"password\": hunter2}"));
        assertEquals(false, e.getMessage().contains("hunter2"), e.getMessage());
        assertEquals(false, e.getMessage().contains("password"), e.getMessage());
    }
}
