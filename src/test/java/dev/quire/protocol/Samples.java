package dev.quire.protocol;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.crdt.YText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Documents and messages the protocol tests share: every message kind, with edge values. */
final class Samples {
    static final long MAX_SAFE = (1L << 53) - 1;
    static final String TOKEN = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJhZGEifQ.secret-token-signature";

    private Samples() {
    }

    /** Client 1: plain text with a deletion and a map entry. */
    static Doc docA() {
        Doc doc = new Doc(1);
        YText text = doc.getText("content");
        text.insert(0, "hello world");
        text.delete(5, 6);
        doc.getMap("m").set("k", 1L);
        text.insert(5, "!");
        return doc;
    }

    /** Client 2^32-1 (a Yjs client id often has the high bit set): non-ASCII text with formatting. */
    static Doc docB() {
        Doc doc = new Doc(4294967295L);
        YText text = doc.getText("content");
        text.insert(0, "Zürich 🦄 naïve");
        text.format(0, 6, Map.<String, Object>of("bold", true));
        return doc;
    }

    /** A and B merged. */
    static Doc docAB() {
        Doc doc = new Doc(7);
        Updates.applyUpdate(doc, Updates.encodeStateAsUpdate(docA()));
        Updates.applyUpdate(doc, Updates.encodeStateAsUpdate(docB()));
        return doc;
    }

    /** Holds content whose dependency never arrived: step 2 must pass it on (Yjs does). */
    static Doc docWithPending() {
        Doc writer = new Doc(3);
        List<byte[]> updates = new ArrayList<>();
        writer.onUpdate((update, origin, t) -> updates.add(update));
        writer.getText("content").insert(0, "abc");
        writer.getText("content").insert(3, "def");
        Doc doc = new Doc(8);
        Updates.applyUpdate(doc, updates.get(1));
        if (!doc.hasPending()) {
            throw new AssertionError("expected pending content");
        }
        return doc;
    }

    static byte[] state(Doc doc) {
        return Updates.encodeStateAsUpdate(doc);
    }

    static Doc load(long clientId, byte[] state) {
        Doc doc = new Doc(clientId);
        Updates.applyUpdate(doc, state);
        return doc;
    }

    static List<AwarenessEntry> awarenessEntries() {
        return List.of(
                new AwarenessEntry(0, 0, "{}"),
                new AwarenessEntry(1, 1, "{\"user\":{\"name\":\"Ada 🦄\",\"color\":\"#30bced\"},\"cursor\":null}"),
                new AwarenessEntry(4294967295L, 300, null),
                new AwarenessEntry(MAX_SAFE, MAX_SAFE, "[1,2.5,\"x\",{\"t\":\"a\\nb \\\"q\\\"\"}]"),
                new AwarenessEntry(5, 2, "\"just a string\""),
                new AwarenessEntry(6, 3, "42"),
                new AwarenessEntry(7, 4, "true"));
    }

    /** One or more of every message kind. */
    static List<Message> messages() {
        List<Message> all = new ArrayList<>();
        Doc a = docA();
        all.add(SyncProtocol.syncStep1(new Doc(9)));
        all.add(SyncProtocol.syncStep1(a));
        all.add(SyncProtocol.syncStep1(docAB()));
        all.add(SyncProtocol.syncStep2(docAB(), Updates.encodeStateVector(a)));
        all.add(SyncProtocol.syncStep2(new Doc(9), new byte[] {0}));
        all.add(new SyncUpdate(state(docB())));
        all.add(new SyncUpdate(state(docWithPending())));
        all.add(new AwarenessUpdate(awarenessEntries()));
        all.add(new AwarenessUpdate(List.of()));
        all.add(AwarenessUpdate.of(AwarenessEntry.removed(42, 9)));
        all.add(new QueryAwareness());
        all.add(new AuthPermissionDenied("Permission denied to access document 123"));
        all.add(new AuthPermissionDenied(""));
        all.add(new AuthOk("user-ada", 1_767_225_600L));
        all.add(new AuthOk("", 0));
        all.add(new AuthOk("ünïcødé-😀", MAX_SAFE));
        all.add(new Renew(TOKEN));
        all.add(new Renew(""));
        all.add(new Ack(0, 0));
        all.add(new Ack(4294967295L, 128));
        all.add(new Ack(MAX_SAFE, Integer.MAX_VALUE));
        all.add(new ErrorMessage("TOKEN_EXPIRED", "Your session expired: sign in again."));
        all.add(new ErrorMessage("FORBIDDEN", "Readers cannot change document «Plan» ✋"));
        return all;
    }
}
