package dev.quire.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/** Byte comparisons whose failure messages say where two encodings part ways. */
final class Bytes {
    private static final HexFormat HEX = HexFormat.of();

    private Bytes() {
    }

    static String hex(byte[] b) {
        return b.length <= 200 ? HEX.formatHex(b) : HEX.formatHex(b, 0, 200) + "... (" + b.length + " bytes)";
    }

    /** Fails unless Quire's bytes equal Yjs's; the message gives the first differing offset and both encodings. */
    static void assertSame(byte[] yjs, byte[] quire, Supplier<String> context) {
        if (java.util.Arrays.equals(yjs, quire)) {
            return;
        }
        int i = java.util.Arrays.mismatch(yjs, quire);
        fail(context.get() + ": bytes differ at offset " + i + " (Yjs " + yjs.length + " bytes, Quire " + quire.length
                + ")\n  Yjs:   " + hex(yjs) + "\n  Quire: " + hex(quire));
    }

    static void assertSame(List<byte[]> yjs, List<byte[]> quire, Supplier<String> context) {
        if (yjs.size() != quire.size()) {
            fail(context.get() + ": Yjs emitted " + yjs.size() + " update(s), Quire " + quire.size()
                    + "\n  Yjs:   " + yjs.stream().map(Bytes::hex).toList()
                    + "\n  Quire: " + quire.stream().map(Bytes::hex).toList());
        }
        for (int k = 0; k < yjs.size(); k++) {
            int n = k;
            assertSame(yjs.get(k), quire.get(k), () -> context.get() + ", update " + n);
        }
    }
}
