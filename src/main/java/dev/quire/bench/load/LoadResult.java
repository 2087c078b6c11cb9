package dev.quire.bench.load;

import java.util.List;

/**
 * What one target did under the load.
 *
 * @param target the server's name
 * @param measuredEdits edits made in the measured window
 * @param delivered of those, how many reached every other client of their document
 * @param lost edits of the whole run (warm-up included) missing at some client at the end: never arrived, or their
 *     marker is not in the final text
 * @param divergedDocs documents whose clients ended with different texts
 * @param p50Ms median edit-to-everyone latency of the measured edits, NaN if none
 * @param p99Ms 99th percentile, NaN if none
 * @param maxMs worst, NaN if none
 * @param cpuSeconds CPU the server process used during the measured window
 * @param windowSeconds the measured window's length
 * @param acked edits of the whole run the server acknowledged; -1 if the target does not ack
 * @param totalEdits edits of the whole run
 * @param errors what went wrong (connection errors, server errors, a server that would not start), empty if nothing
 */
public record LoadResult(String target, long measuredEdits, long delivered, long lost, int divergedDocs,
        double p50Ms, double p99Ms, double maxMs, double cpuSeconds, double windowSeconds, long acked,
        long totalEdits, List<String> errors) {

    public LoadResult {
        errors = List.copyOf(errors);
    }

    static LoadResult failed(String target, String reason) {
        return new LoadResult(target, 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, -1, 0,
                List.of(reason));
    }

    /** CPU as a percentage of one core over the measured window. */
    public double cpuPercentOfCore() {
        return 100 * cpuSeconds / windowSeconds;
    }

    public boolean acks() {
        return acked >= 0;
    }

    /** No lost edit, no divergence, no error, something measured, and every edit acked where the server acks. */
    public boolean ok() {
        return errors.isEmpty() && lost == 0 && divergedDocs == 0 && measuredEdits > 0 && delivered == measuredEdits
                && (!acks() || acked == totalEdits);
    }
}
