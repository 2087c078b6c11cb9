package dev.quire.server.storage;

import dev.quire.crdt.Doc;
import dev.quire.crdt.YText;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A client document that keeps the update each of its transactions produced, as an editor would send them. */
final class Editor {
    final Doc doc;
    final YText text;
    private final List<byte[]> sent = new ArrayList<>();

    Editor(long clientId) {
        doc = new Doc(clientId);
        text = doc.getText("content");
        doc.onUpdate((update, origin, t) -> {
            if (origin != Editor.class) {
                sent.add(update);
            }
        });
    }

    /** Makes one local change and returns the update it produced. */
    byte[] edit(Consumer<YText> change) {
        int before = sent.size();
        doc.transact(t -> change.accept(text));
        if (sent.size() != before + 1) {
            throw new IllegalStateException("the change produced " + (sent.size() - before) + " updates");
        }
        return sent.get(sent.size() - 1);
    }

    /** Applies another client's update without echoing it. */
    void receive(byte[] update) {
        dev.quire.crdt.Updates.applyUpdate(doc, update, Editor.class);
    }
}
