package dev.quire.trace;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.crdt.YText;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Replays a trace into Quire documents: sequential traces as client 1, concurrent traces with agent k as client
 * k+1, each transaction applied on a replica that has exactly the transaction's causal history.
 */
public final class TraceReplay {
    /** The root text every trace edits, as in the Yjs benchmarks. */
    public static final String TEXT = "content";

    private TraceReplay() {
    }

    /** Replays and returns the final document. */
    public static Doc replay(Trace trace) {
        return trace.concurrent() ? replayConcurrent(trace) : replaySequential(trace);
    }

    static Doc replaySequential(Trace trace) {
        Doc doc = new Doc(1);
        YText text = doc.getText(TEXT);
        Utf16Positions positions = trace.hasAstral() ? new Utf16Positions() : null;
        for (Trace.Txn txn : trace.txns()) {
            if (txn.patches().size() == 1) {
                applyPatch(text, txn.patches().get(0), positions);
            } else {
                doc.transact(t -> {
                    for (Trace.Patch p : txn.patches()) {
                        applyPatch(text, p, positions);
                    }
                });
            }
        }
        return doc;
    }

    private static void applyPatch(YText text, Trace.Patch p, Utf16Positions positions) {
        int pos = p.pos();
        int del = p.del();
        if (positions != null) {
            int start = positions.toUtf16(pos);
            int end = positions.toUtf16(pos + del);
            positions.splice(start, end - start, p.ins());
            pos = start;
            del = end - start;
        }
        if (del > 0) {
            text.delete(pos, del);
        }
        if (!p.ins().isEmpty()) {
            text.insert(pos, p.ins());
        }
    }

    /**
     * Concurrent replay. Each agent keeps a replica; before an agent's transaction, the replica receives the
     * updates of every ancestor it lacks. After a transaction a replica's state is exactly that transaction's
     * history, so it is still usable for the next one if that transaction is in the next one's history;
     * otherwise the replica is rebuilt.
     */
    static Doc replayConcurrent(Trace trace) {
        List<Trace.Txn> txns = trace.txns();
        int n = txns.size();
        byte[][] updates = new byte[n][];
        int agents = Math.max(trace.numAgents(), 1);
        Doc[] replicas = new Doc[agents];
        BitSet[] seen = new BitSet[agents];
        int[] last = new int[agents];
        boolean astral = trace.hasAstral();
        for (int i = 0; i < n; i++) {
            Trace.Txn txn = txns.get(i);
            int agent = txn.agent();
            if (replicas[agent] == null || !inHistory(txns, txn.parents(), last[agent])) {
                replicas[agent] = new Doc(agent + 1L);
                seen[agent] = new BitSet(n);
            }
            Doc doc = replicas[agent];
            BitSet missing = ancestors(txns, txn.parents(), seen[agent]);
            List<byte[]> toApply = new ArrayList<>(missing.cardinality());
            for (int k = missing.nextSetBit(0); k >= 0; k = missing.nextSetBit(k + 1)) {
                toApply.add(updates[k]);
                seen[agent].set(k);
            }
            if (!toApply.isEmpty()) {
                // one merged update, one transaction: far cheaper than a transaction per ancestor
                Updates.applyUpdate(doc, Updates.mergeUpdates(toApply));
            }
            YText text = doc.getText(TEXT);
            Utf16Positions positions = null;
            if (astral) {
                positions = new Utf16Positions();
                positions.splice(0, 0, text.toString());
            }
            byte[][] captured = new byte[1][];
            Runnable off = doc.onUpdate((u, origin, t) -> captured[0] = u);
            Utf16Positions pos = positions;
            doc.transact(t -> {
                for (Trace.Patch p : txn.patches()) {
                    applyPatch(text, p, pos);
                }
            });
            off.run();
            updates[i] = captured[0] != null ? captured[0] : new byte[] {0, 0};
            seen[agent].set(i);
            last[agent] = i;
        }
        Doc result = new Doc(0);
        result.getText(TEXT);
        Updates.applyUpdate(result, Updates.mergeUpdates(java.util.Arrays.asList(updates)));
        return result;
    }

    /** Transactions in the causal history of {@code parents} that are not in {@code known} (known is closed). */
    private static BitSet ancestors(List<Trace.Txn> txns, int[] parents, BitSet known) {
        BitSet out = new BitSet();
        ArrayList<Integer> stack = new ArrayList<>();
        for (int p : parents) {
            stack.add(p);
        }
        while (!stack.isEmpty()) {
            int t = stack.remove(stack.size() - 1);
            if (out.get(t) || known.get(t)) {
                continue;
            }
            out.set(t);
            for (int p : txns.get(t).parents()) {
                stack.add(p);
            }
        }
        return out;
    }

    /** Whether transaction {@code target} is in the history of {@code parents}. Parents precede children. */
    private static boolean inHistory(List<Trace.Txn> txns, int[] parents, int target) {
        BitSet visited = new BitSet();
        ArrayList<Integer> stack = new ArrayList<>();
        for (int p : parents) {
            stack.add(p);
        }
        while (!stack.isEmpty()) {
            int t = stack.remove(stack.size() - 1);
            if (t == target) {
                return true;
            }
            if (t < target || visited.get(t)) {
                continue; // an earlier transaction can't have a later one in its history
            }
            visited.set(t);
            for (int p : txns.get(t).parents()) {
                stack.add(p);
            }
        }
        return false;
    }

    /** Text mirror for converting code-point positions to UTF-16 offsets (only for traces with astral chars). */
    static final class Utf16Positions {
        private final StringBuilder text = new StringBuilder();

        int toUtf16(int codePoint) {
            return text.offsetByCodePoints(0, codePoint);
        }

        void splice(int start, int len, String ins) {
            text.replace(start, start + len, ins);
        }
    }
}
