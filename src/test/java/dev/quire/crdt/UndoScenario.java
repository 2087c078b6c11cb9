package dev.quire.crdt;

import dev.quire.crdt.encoding.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * An undo / relative-position scenario that runs on Quire while it is written down, so that the same steps can be
 * replayed on real Yjs by src/test/js/relpos/undo-relpos.mjs (its header documents the step format). Each
 * "relpos", "absolute" and "state" step records an output in the shape the script prints.
 */
final class UndoScenario {
    static final Path SCRIPT = Path.of("src/test/js/relpos/undo-relpos.mjs");
    static final Path YJS = Path.of("src/test/js/node_modules/yjs/package.json");
    private static final String REMOTE = "remote";

    private final Map<String, Long> clientIds = new LinkedHashMap<>();
    private final Map<String, Doc> docs = new LinkedHashMap<>();
    private final Map<String, UndoManager> managers = new LinkedHashMap<>();
    private final Map<String, Set<String>> textNames = new LinkedHashMap<>();
    private final Map<String, Set<String>> mapNames = new LinkedHashMap<>();
    private final List<Map<String, Object>> steps = new ArrayList<>();
    private final List<Object> outputs = new ArrayList<>();
    /** The fake clock shared by all undo managers; the script fakes Date.now the same way. */
    private long now = 1_000_000;

    UndoScenario doc(String name, long clientId) {
        clientIds.put(name, clientId);
        docs.put(name, new Doc(clientId));
        textNames.put(name, new TreeSet<>());
        mapNames.put(name, new TreeSet<>());
        return this;
    }

    Doc get(String name) {
        return docs.get(name);
    }

    int textLength(String doc, String name) {
        return docs.get(doc).getText(name).length();
    }

    List<Object> outputs() {
        return outputs;
    }

    /** The scenario as the script's input. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("docs", new LinkedHashMap<>(clientIds));
        json.put("steps", steps);
        return json;
    }

    // ---- steps ----

    static Map<String, Object> step(String op, Object... keyValues) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("op", op);
        for (int i = 0; i < keyValues.length; i += 2) {
            s.put((String) keyValues[i], keyValues[i + 1]);
        }
        return s;
    }

    /** Runs a step on the Java side and records it. */
    UndoScenario run(String doc, Map<String, Object> step) {
        Map<String, Object> recorded = new LinkedHashMap<>();
        recorded.put("doc", doc);
        recorded.putAll(step);
        steps.add(recorded);
        execute(doc, step);
        return this;
    }

    UndoScenario undoManager(String doc, List<String> texts, List<String> maps, long captureTimeout,
                             List<String> trackedOrigins) {
        return run(doc, step("undoManager", "texts", texts, "maps", maps, "captureTimeout", captureTimeout,
                "trackedOrigins", trackedOrigins));
    }

    UndoScenario insert(String doc, String name, int index, String text) {
        return run(doc, step("insert", "name", name, "index", index, "text", text));
    }

    UndoScenario delete(String doc, String name, int index, int len) {
        return run(doc, step("delete", "name", name, "index", index, "len", len));
    }

    UndoScenario format(String doc, String name, int index, int len, Map<String, Object> attrs) {
        return run(doc, step("format", "name", name, "index", index, "len", len, "attrs", attrs));
    }

    UndoScenario undo(String doc) {
        return run(doc, step("undo"));
    }

    UndoScenario redo(String doc) {
        return run(doc, step("redo"));
    }

    UndoScenario tick(long ms) {
        return run(docs.keySet().iterator().next(), step("tick", "ms", ms));
    }

    UndoScenario sync(String doc, String from) {
        return run(doc, step("sync", "from", from));
    }

    /** Records a relative position and returns its bytes (base64), for later "absolute" steps. */
    String relpos(String doc, String name, int index, int assoc) {
        run(doc, step("relpos", "name", name, "index", index, "assoc", assoc));
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) outputs.get(outputs.size() - 1);
        return (String) out.get("bytes");
    }

    UndoScenario absolute(String doc, String bytes, boolean follow) {
        return run(doc, step("absolute", "bytes", bytes, "follow", follow));
    }

    UndoScenario state(String doc) {
        return run(doc, step("state"));
    }

    @SuppressWarnings("unchecked")
    private void execute(String docName, Map<String, Object> s) {
        Doc doc = docs.get(docName);
        String name = (String) s.get("name");
        switch ((String) s.get("op")) {
            case "insert" -> {
                textNames.get(docName).add(name);
                Map<String, Object> attrs = (Map<String, Object>) s.get("attrs");
                doc.getText(name).insert(num(s, "index"), (String) s.get("text"),
                        attrs == null ? null : new LinkedHashMap<>(attrs));
            }
            case "delete" -> doc.getText(name).delete(num(s, "index"), num(s, "len"));
            case "format" -> doc.getText(name).format(num(s, "index"), num(s, "len"),
                    new LinkedHashMap<>((Map<String, Object>) s.get("attrs")));
            case "mapSet" -> {
                mapNames.get(docName).add(name);
                doc.getMap(name).set((String) s.get("key"), s.get("value"));
            }
            case "mapDelete" -> doc.getMap(name).delete((String) s.get("key"));
            case "origin" -> doc.transact(t -> {
                for (Map<String, Object> nested : (List<Map<String, Object>>) s.get("steps")) {
                    execute(docName, nested);
                }
            }, s.get("origin"));
            case "undoManager" -> {
                List<AbstractType> scope = new ArrayList<>();
                for (String n : (List<String>) s.get("texts")) {
                    scope.add(doc.getText(n));
                    textNames.get(docName).add(n);
                }
                for (String n : (List<String>) s.get("maps")) {
                    scope.add(doc.getMap(n));
                    mapNames.get(docName).add(n);
                }
                Set<Object> tracked = new HashSet<>();
                tracked.add(null);
                tracked.addAll((List<String>) s.get("trackedOrigins"));
                managers.put(docName, UndoManager.builder(scope.get(0), scope.subList(1, scope.size())
                                .toArray(new AbstractType[0]))
                        .captureTimeout(java.time.Duration.ofMillis(((Number) s.get("captureTimeout")).longValue()))
                        .trackedOrigins(tracked)
                        .clock(() -> now)
                        .build());
            }
            case "undo" -> managers.get(docName).undo();
            case "redo" -> managers.get(docName).redo();
            case "stopCapturing" -> managers.get(docName).stopCapturing();
            case "tick" -> now += ((Number) s.get("ms")).longValue();
            case "sync" -> {
                String from = (String) s.get("from");
                Doc source = docs.get(from);
                Updates.applyUpdate(doc, Updates.encodeStateAsUpdate(source, Updates.encodeStateVector(doc)), REMOTE);
                textNames.get(docName).addAll(textNames.get(from));
                mapNames.get(docName).addAll(mapNames.get(from));
            }
            case "relpos" -> {
                RelativePosition p = RelativePosition.fromIndex(doc.getText(name), num(s, "index"), num(s, "assoc"));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("bytes", Base64.getEncoder().encodeToString(p.encode()));
                out.put("json", p.toJson());
                outputs.add(out);
            }
            case "absolute" -> {
                RelativePosition p = RelativePosition.decode(Base64.getDecoder().decode((String) s.get("bytes")));
                AbsolutePosition abs = p.toAbsolute(doc, (Boolean) s.get("follow"));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("index", abs == null ? null : abs.index());
                outputs.add(out);
            }
            case "state" -> {
                Map<String, Object> texts = new LinkedHashMap<>();
                for (String n : textNames.get(docName)) {
                    texts.put(n, doc.getText(n).toDelta());
                }
                Map<String, Object> maps = new LinkedHashMap<>();
                for (String n : mapNames.get(docName)) {
                    maps.put(n, doc.getMap(n).toJson());
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("update", Base64.getEncoder().encodeToString(Updates.encodeStateAsUpdate(doc)));
                out.put("texts", texts);
                out.put("maps", maps);
                outputs.add(out);
            }
            default -> throw new IllegalArgumentException("unknown op " + s.get("op"));
        }
    }

    private static int num(Map<String, Object> s, String key) {
        return ((Number) s.get(key)).intValue();
    }

    // ---- running the same scenarios on Yjs ----

    static boolean yjsAvailable() {
        if (!Files.isRegularFile(SCRIPT) || !Files.isRegularFile(YJS)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs the scenarios in one node process; returns each scenario's outputs (or {"error": ...}) as JSON text. */
    static List<String> runOnYjs(List<UndoScenario> scenarios) throws IOException, InterruptedException {
        List<Object> input = new ArrayList<>();
        for (UndoScenario sc : scenarios) {
            input.add(sc.toJson());
        }
        Process p = new ProcessBuilder("node", SCRIPT.toString()).start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errPump = new Thread(() -> copy(p.getErrorStream(), err));
        errPump.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(Json.stringify(input).getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("node did not finish: " + SCRIPT);
        }
        errPump.join();
        if (p.exitValue() != 0) {
            throw new IOException("node failed (" + p.exitValue() + "): " + err.toString(StandardCharsets.UTF_8));
        }
        List<String> results = new ArrayList<>();
        for (Object r : (List<?>) Json.parse(out)) {
            results.add(Json.stringify(r));
        }
        return results;
    }

    private static void copy(InputStream from, ByteArrayOutputStream to) {
        try {
            from.transferTo(to);
        } catch (IOException ignored) {
            // the process ended
        }
    }
}
