package dev.quire.crdt.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** lib0's "any" encoding, checked against the real lib0 that yjs uses. */
class AnyTest {

    /** Hex of lib0 encoding.writeAny for each JavaScript expression. */
    private static List<String> lib0Encode(List<String> jsExpressions) throws Exception {
        String script = "const { createRequire } = require('module');"
                + "const r = createRequire(process.cwd() + '/src/test/js/package.json');"
                + "const encoding = r('lib0/encoding');"
                + "const xs = [" + String.join(",", jsExpressions) + "];"
                + "process.stdout.write(xs.map(x => { const e = encoding.createEncoder(); encoding.writeAny(e, x);"
                + " return Buffer.from(encoding.toUint8Array(e)).toString('hex') }).join('\\n'))";
        Process node = new ProcessBuilder("node", "-").redirectErrorStream(true).start();
        try (var stdin = node.getOutputStream()) {
            stdin.write(script.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, node.waitFor(), out + " (the yjs peer may be missing: run npm ci --prefix src/test/js)");
        return List.of(out.split("\n"));
    }

    private static String hex(Object value) {
        Encoder e = new Encoder();
        Any.write(e, value);
        return HexFormat.of().formatHex(e.toByteArray());
    }

    @Test
    void numbersEncodeAsLib0EncodesThem() throws Exception {
        Random random = new Random(7);
        List<String> js = new ArrayList<>();
        List<String> quire = new ArrayList<>();
        long[] ints = {0, 1, -1, 63, 64, -64, 127, 128, 8191, 8192, 0x7FFFFFFFL, -0x7FFFFFFFL, 0x80000000L, 1L << 40};
        for (long v : ints) {
            js.add(Long.toString(v));
            quire.add(hex(v));
        }
        for (int i = 0; i < 500; i++) {
            double d = switch (i % 3) {
                case 0 -> Double.longBitsToDouble(random.nextLong());
                case 1 -> (double) random.nextFloat() * (random.nextBoolean() ? 1e6 : 1e-6);
                default -> Math.rint(random.nextGaussian() * 1e9);
            };
            if (!Double.isFinite(d)) {
                continue;
            }
            js.add("new Float64Array(new BigUint64Array([0x" + Long.toHexString(Double.doubleToRawLongBits(d))
                    + "n]).buffer)[0]");
            quire.add(hex(d));
        }
        js.add("-0");
        quire.add(hex(-0.0));
        assertEquals(lib0Encode(js), quire);
    }

    @Test
    void valuesEncodeAsLib0EncodesThemAndDecodeBack() throws Exception {
        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("z", "last?");
        obj.put("10", 1L);
        obj.put("2", List.of("a", true, false));
        obj.put("n", null);
        List<Object> values = List.of("text 😀", Boolean.TRUE, obj, List.of(1L, 2.5, "x"),
                new byte[] {1, 2, 3}, java.math.BigInteger.valueOf(-5));
        List<String> js = List.of("'text 😀'", "true", "{z: 'last?', '10': 1, '2': ['a', true, false], n: null}",
                "[1, 2.5, 'x']", "new Uint8Array([1, 2, 3])", "-5n");
        List<String> quire = new ArrayList<>();
        for (Object v : values) {
            quire.add(hex(v));
        }
        assertEquals(lib0Encode(js), quire);
        Object decoded = Any.read(new Decoder(HexFormat.of().parseHex(quire.get(2))));
        assertInstanceOf(Map.class, decoded);
        assertEquals(List.of("2", "10", "z", "n"), new ArrayList<>(((Map<?, ?>) decoded).keySet()));
    }

    @Test
    void truncatedOrUnknownInputIsADecodingErrorWithItsOffset() {
        DecodingException truncated = assertThrows(DecodingException.class,
                () -> Any.read(new Decoder(new byte[] {119, 5, 'a'})));
        assertEquals(2, truncated.offset());
        DecodingException unknown = assertThrows(DecodingException.class,
                () -> Any.read(new Decoder(new byte[] {(byte) 200})));
        assertEquals(0, unknown.offset());
    }
}
