package dev.quire.trace;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Replays a trace and measures it: the figures {@code quire trace} prints. */
public record TraceRun(String trace, String kind, int ops, boolean match, double applyMs, int updateBytes,
                       double loadMs, long heapBytes, byte[] state) {

    /** Replays {@code repeat} times and keeps the best times (the JIT warms up on the first runs). */
    public static TraceRun measure(Trace trace, int repeat) {
        double bestApply = Double.MAX_VALUE;
        double bestLoad = Double.MAX_VALUE;
        Doc doc = null;
        byte[] update = null;
        for (int r = 0; r < Math.max(1, repeat); r++) {
            doc = null;
            long t0 = System.nanoTime();
            doc = TraceReplay.replay(trace);
            long t1 = System.nanoTime();
            bestApply = Math.min(bestApply, (t1 - t0) / 1e6);
            update = Updates.encodeStateAsUpdate(doc);
            long t2 = System.nanoTime();
            Doc loaded = new Doc(2);
            Updates.applyUpdate(loaded, update);
            loaded.getText(TraceReplay.TEXT).toString();
            long t3 = System.nanoTime();
            bestLoad = Math.min(bestLoad, (t3 - t2) / 1e6);
        }
        boolean match = doc.getText(TraceReplay.TEXT).toString().equals(trace.endContent());
        long heap = retainedHeapOfLoadedDoc(update);
        return new TraceRun(trace.name(), trace.concurrent() ? "concurrent" : "sequential", trace.patchCount(), match,
                bestApply, update.length, bestLoad, heap, update);
    }

    /** Heap held by a document loaded from {@code update}: used heap after GC with and without it. */
    static long retainedHeapOfLoadedDoc(byte[] update) {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        settle();
        long before = mem.getHeapMemoryUsage().getUsed();
        Doc loaded = new Doc(3);
        Updates.applyUpdate(loaded, update);
        loaded.getText(TraceReplay.TEXT);
        settle();
        long after = mem.getHeapMemoryUsage().getUsed();
        // keep the document reachable until after the measurement
        if (loaded.getText(TraceReplay.TEXT).length() < 0) {
            throw new AssertionError();
        }
        return Math.max(0, after - before);
    }

    /** Collects until the used heap stops shrinking (one System.gc() is not always a full collection). */
    private static void settle() {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long now = mem.getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return;
            }
            used = now;
        }
    }

    public String toJson() {
        return String.format(java.util.Locale.ROOT,
                "{\"trace\":\"%s\",\"kind\":\"%s\",\"ops\":%d,\"match\":%s,\"applyMs\":%.1f,\"updateBytes\":%d,"
                        + "\"loadMs\":%.1f,\"heapBytes\":%d}",
                trace, kind, ops, match, applyMs, updateBytes, loadMs, heapBytes);
    }
}
