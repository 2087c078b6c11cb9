package dev.quire.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Quire server's {@code quire_ack_latency_seconds} histogram (Prometheus text format) into quantile
 * bounds: the smallest bucket bound below which at least that share of acks fell.
 */
final class AckHistogram {
    private static final Pattern BUCKET =
            Pattern.compile("^quire_ack_latency_seconds_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*}\\s+(\\S+)", Pattern.MULTILINE);

    private AckHistogram() {
    }

    record Bucket(double le, double count) {
    }

    static List<Bucket> buckets(String metrics) {
        List<Bucket> out = new ArrayList<>();
        Matcher m = BUCKET.matcher(metrics);
        while (m.find()) {
            double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
            out.add(new Bucket(le, Double.parseDouble(m.group(2))));
        }
        out.sort((a, b) -> Double.compare(a.le(), b.le()));
        return out;
    }

    /** The bound of the first bucket holding at least {@code q} of all observations, in seconds. */
    static double bound(List<Bucket> buckets, double q) {
        double total = buckets.get(buckets.size() - 1).count();
        for (Bucket b : buckets) {
            if (b.count() >= q * total) {
                return b.le();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    static Optional<String> summary(String metrics) {
        List<Bucket> buckets = buckets(metrics);
        if (buckets.isEmpty() || buckets.get(buckets.size() - 1).count() == 0) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "server's own receive-to-ack latency (its /metrics histogram,"
                        + " whole run, %d acks): p50 <= %s, p99 <= %s, p99.9 <= %s",
                (long) buckets.get(buckets.size() - 1).count(), ms(bound(buckets, 0.5)), ms(bound(buckets, 0.99)),
                ms(bound(buckets, 0.999))));
    }

    private static String ms(double seconds) {
        return Double.isInfinite(seconds) ? "inf" : String.format(Locale.ROOT, "%.2f ms", seconds * 1000);
    }
}
