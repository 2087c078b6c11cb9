package dev.quire.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * A recorded editing session (../shared/traces, see FORMAT.md): transactions of patches {@code [pos, del, ins]}
 * with positions in Unicode code points. Sequential traces are one editor's history; concurrent ones record each
 * transaction's agent and causal parents.
 */
public record Trace(String name, boolean concurrent, String endContent, int numAgents, List<Txn> txns) {

    /** One splice: at {@code pos} remove {@code del} code points, then insert {@code ins}. */
    public record Patch(int pos, int del, String ins) {
    }

    public record Txn(int agent, int[] parents, List<Patch> patches) {
    }

    public int patchCount() {
        int n = 0;
        for (Txn t : txns) {
            n += t.patches.size();
        }
        return n;
    }

    /** Reads a trace file (gzip-compressed JSON, or plain JSON). */
    public static Trace read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        InputStream in = new java.io.ByteArrayInputStream(bytes);
        if (bytes.length > 2 && (bytes[0] & 0xFF) == 0x1F && (bytes[1] & 0xFF) == 0x8B) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        JsonNode root = new ObjectMapper().readTree(in);
        String fileName = file.getFileName().toString();
        String name = fileName.replaceFirst("\\.json(\\.gz)?$", "");
        if (!root.has("endContent") || !root.has("txns")) {
            throw new IOException(file + " is not a trace: it lacks endContent or txns");
        }
        boolean concurrent = "concurrent".equals(root.path("kind").asText(""));
        List<Txn> txns = new ArrayList<>(root.get("txns").size());
        for (JsonNode t : root.get("txns")) {
            List<Patch> patches = new ArrayList<>();
            for (JsonNode p : t.path("patches")) {
                patches.add(new Patch(p.get(0).asInt(), p.get(1).asInt(), p.get(2).asText()));
            }
            int[] parents;
            if (concurrent) {
                JsonNode ps = t.path("parents");
                parents = new int[ps.size()];
                for (int i = 0; i < parents.length; i++) {
                    parents[i] = ps.get(i).asInt();
                }
            } else {
                parents = new int[0];
            }
            txns.add(new Txn(t.path("agent").asInt(0), parents, patches));
        }
        return new Trace(name, concurrent, root.get("endContent").asText(), root.path("numAgents").asInt(1), txns);
    }

    /** Whether any inserted text or the final text has characters outside the BMP (code point ≠ UTF-16 index). */
    public boolean hasAstral() {
        if (hasSurrogate(endContent)) {
            return true;
        }
        for (Txn t : txns) {
            for (Patch p : t.patches) {
                if (hasSurrogate(p.ins)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
