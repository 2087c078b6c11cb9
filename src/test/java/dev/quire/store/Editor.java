package dev.quire.store;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.crdt.YText;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A client document that hands back the update each local change produced, as the engine would append it. */
final class Editor {
    final Doc doc;
    final YText text;
    private final List<byte[]> produced = new ArrayList<>();

    Editor(long clientId) {
        doc = new Doc(clientId);
        text = doc.getText("content");
        doc.onUpdate((update, origin, t) -> {
            if (origin != Editor.class) {
                produced.add(update);
            }
        });
    }

    /** Makes one local change and returns its update. */
    byte[] edit(Consumer<YText> change) {
        int before = produced.size();
        doc.transact(t -> change.accept(text));
        if (produced.size() != before + 1) {
            throw new IllegalStateException("the change produced " + (produced.size() - before) + " updates");
        }
        return produced.get(produced.size() - 1);
    }

    /** Applies another peer's update without recording it as local. */
    void receive(byte[] update) {
        Updates.applyUpdate(doc, update, Editor.class);
    }

    /** The text a fresh document shows after applying {@code update}. */
    static String textOf(byte[] update) {
        Doc d = new Doc(999);
        Updates.applyUpdate(d, update);
        return d.getText("content").toString();
    }
}
