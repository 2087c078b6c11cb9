package dev.quire.trace;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.crdt.YText;
import java.util.ArrayList;
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
     * Concurrent replay. Each transaction is applied on a replica whose state is exactly the transaction's causal
     * history. Every agent's transactions are totally ordered, so a causally closed set of transactions is a
     * version vector: how many of each agent's transactions it holds. A small pool of replicas is kept; for each
     * transaction the replica that is not ahead of its history and lacks the fewest transactions is caught up
     * (one merged update) and then edits as client agent+1.
     */
    static Doc replayConcurrent(Trace trace) {
        List<Trace.Txn> txns = trace.txns();
        int n = txns.size();
        int agents = Math.max(trace.numAgents(), 1);
        for (Trace.Txn t : txns) {
            agents = Math.max(agents, t.agent() + 1);
        }
        byte[][] updates = new byte[n][];
        int[][] version = new int[n][]; // version vector after each transaction
        List<List<Integer>> byAgent = new ArrayList<>();
        for (int a = 0; a < agents; a++) {
            byAgent.add(new ArrayList<>());
        }
        List<Replica> pool = new ArrayList<>();
        boolean astral = trace.hasAstral();
        long tick = 0;
        for (int i = 0; i < n; i++) {
            Trace.Txn txn = txns.get(i);
            int agent = txn.agent();
            int[] need = new int[agents];
            for (int p : txn.parents()) {
                int[] pv = version[p];
                for (int a = 0; a < agents; a++) {
                    need[a] = Math.max(need[a], pv[a]);
                }
            }
            if (need[agent] != byAgent.get(agent).size()) {
                throw new IllegalArgumentException("trace " + trace.name() + ": transaction " + i
                        + " does not follow all earlier transactions of agent " + agent);
            }
            Replica replica = pickReplica(pool, need);
            if (replica == null) {
                if (pool.size() >= POOL_SIZE) {
                    Replica lru = pool.get(0);
                    for (Replica r : pool) {
                        if (r.lastUsed < lru.lastUsed) {
                            lru = r;
                        }
                    }
                    pool.remove(lru);
                }
                replica = new Replica(agents);
                pool.add(replica);
            }
            replica.lastUsed = tick++;
            catchUp(replica, need, byAgent, updates);
            Doc doc = replica.doc;
            doc.setClientId(agent + 1L);
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
            updates[i] = captured[0] != null ? captured[0] : EMPTY_UPDATE;
            byAgent.get(agent).add(i);
            need[agent]++;
            version[i] = need;
            replica.version = need.clone();
        }
        // the last transaction contains all others: a replica at its version is the final document
        Replica last = pickReplica(pool, version[n - 1]);
        if (last == null) {
            last = new Replica(agents);
        }
        catchUp(last, version[n - 1], byAgent, updates);
        return last.doc;
    }

    private static final int POOL_SIZE = 8;
    private static final byte[] EMPTY_UPDATE = {0, 0};

    private static final class Replica {
        final Doc doc = new Doc(0);
        int[] version;
        long lastUsed;

        Replica(int agents) {
            version = new int[agents];
            doc.getText(TEXT);
        }
    }

    /** The replica not ahead of {@code need} that lacks the fewest transactions, or null. */
    private static Replica pickReplica(List<Replica> pool, int[] need) {
        Replica best = null;
        long bestMissing = Long.MAX_VALUE;
        for (Replica r : pool) {
            long missing = 0;
            for (int a = 0; a < need.length && missing >= 0; a++) {
                int d = need[a] - r.version[a];
                missing = d < 0 ? -1 : missing + d;
            }
            if (missing >= 0 && missing < bestMissing) {
                best = r;
                bestMissing = missing;
            }
        }
        return best;
    }

    /** Applies the transactions the replica lacks to reach {@code need}, as one merged update. */
    private static void catchUp(Replica replica, int[] need, List<List<Integer>> byAgent, byte[][] updates) {
        List<byte[]> missing = new ArrayList<>();
        for (int a = 0; a < need.length; a++) {
            List<Integer> seq = byAgent.get(a);
            for (int k = replica.version[a]; k < need[a]; k++) {
                missing.add(updates[seq.get(k)]);
            }
        }
        if (!missing.isEmpty()) {
            // catch up as client 0, which no agent uses, so no update looks like it was written with our own id
            replica.doc.setClientId(0);
            Updates.applyUpdate(replica.doc, Updates.mergeUpdates(missing));
        }
        replica.version = need.clone();
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
