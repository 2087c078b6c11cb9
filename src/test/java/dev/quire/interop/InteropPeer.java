package dev.quire.interop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.crdt.YText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One replica in an interop test: a Quire {@link Doc} or a Yjs doc inside the {@link YjsPeer} process. Both have
 * the root types of {@link Steps#ROOTS} from the start: Yjs's local formatting cleanup after a remote change only
 * runs for a Y.Text that exists when the change arrives, so every replica creates its roots up front.
 */
sealed interface InteropPeer permits InteropPeer.Quire, InteropPeer.Yjs {

    /** Origin of applied remote updates; local transactions they trigger (format cleanup) have another origin. */
    Object REMOTE = "remote";

    String label();

    long clientId();

    /** Runs one top-level step (one transaction) and returns the updates the doc emitted (none or one). */
    List<byte[]> run(JsonNode step);

    /** Applies a remote update and returns the updates of local transactions it caused (format cleanup). */
    List<byte[]> apply(byte[] update);

    boolean hasPending();

    byte[] encodeStateAsUpdate();

    byte[] encodeStateVector();

    DocState state();

    /** What a user sees: text, Quill delta, map and array JSON, each in {@link Wire#normalize} form. */
    record DocState(String text, Object delta, Object map, Object array) {
        /** The text with every embed as U+FFFC, so that its UTF-16 indexes are the Y.Text's indexes. */
        String units() {
            StringBuilder sb = new StringBuilder();
            for (Object op : (List<?>) delta) {
                Object insert = ((Map<?, ?>) op).get("insert");
                sb.append(insert instanceof String s ? s : "\uFFFC");
            }
            return sb.toString();
        }

        int arrayLength() {
            return ((List<?>) array).size();
        }

        @Override
        public String toString() {
            return "text=" + YjsPeer.JSON.valueToTree(text) + "\n  delta=" + delta + "\n  map=" + map
                    + "\n  array=" + array;
        }
    }

    static Quire quire(String label, long clientId, boolean gc) {
        return new Quire(label, new Doc(clientId, gc));
    }

    static Yjs yjs(YjsPeer peer, String label, long clientId, boolean gc) {
        peer.newDoc(label, clientId, gc, Steps.ROOTS);
        return new Yjs(peer, label, clientId);
    }

    final class Quire implements InteropPeer {
        private final String label;
        final Doc doc;
        private final List<byte[]> local = new ArrayList<>();

        Quire(String label, Doc doc) {
            this.label = label;
            this.doc = doc;
            doc.getText(Steps.TEXT);
            doc.getMap(Steps.MAP);
            doc.getArray(Steps.ARRAY);
            doc.onUpdate((update, origin, txn) -> {
                if (origin != REMOTE) {
                    local.add(update);
                }
            });
        }

        @Override
        public String label() {
            return label;
        }

        @Override
        public long clientId() {
            return doc.clientId();
        }

        @Override
        public List<byte[]> run(JsonNode step) {
            local.clear();
            Steps.run(doc, step);
            return List.copyOf(local);
        }

        @Override
        public List<byte[]> apply(byte[] update) {
            local.clear();
            Updates.applyUpdate(doc, update, REMOTE);
            return List.copyOf(local);
        }

        @Override
        public boolean hasPending() {
            return doc.hasPending();
        }

        @Override
        public byte[] encodeStateAsUpdate() {
            return Updates.encodeStateAsUpdate(doc);
        }

        @Override
        public byte[] encodeStateVector() {
            return Updates.encodeStateVector(doc);
        }

        @Override
        public DocState state() {
            YText text = doc.getText(Steps.TEXT);
            return new DocState(text.toString(), Wire.normalize(text.toDelta()),
                    Wire.normalize(doc.getMap(Steps.MAP).toJson()), Wire.normalize(doc.getArray(Steps.ARRAY).toJson()));
        }

        @Override
        public String toString() {
            return label;
        }
    }

    final class Yjs implements InteropPeer {
        private final YjsPeer peer;
        private final String label;
        private final long clientId;
        private boolean pending;

        Yjs(YjsPeer peer, String label, long clientId) {
            this.peer = peer;
            this.label = label;
            this.clientId = clientId;
        }

        @Override
        public String label() {
            return label;
        }

        @Override
        public long clientId() {
            return clientId;
        }

        @Override
        public List<byte[]> run(JsonNode step) {
            return peer.script(label, List.of(step));
        }

        @Override
        public List<byte[]> apply(byte[] update) {
            YjsPeer.Applied applied = peer.apply(label, update);
            pending = applied.pending();
            return applied.emitted();
        }

        @Override
        public boolean hasPending() {
            return pending;
        }

        @Override
        public byte[] encodeStateAsUpdate() {
            return peer.encodeStateAsUpdate(label);
        }

        @Override
        public byte[] encodeStateVector() {
            return peer.encodeStateVector(label);
        }

        @Override
        public DocState state() {
            JsonNode text = peer.text(label, Steps.TEXT);
            return new DocState(text.get("text").asText(), Wire.normalize(text.get("delta")),
                    Wire.normalize(peer.mapJson(label, Steps.MAP)), Wire.normalize(peer.arrayJson(label, Steps.ARRAY)));
        }

        @Override
        public String toString() {
            return label;
        }
    }
}
