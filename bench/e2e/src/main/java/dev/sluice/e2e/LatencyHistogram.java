package dev.sluice.e2e;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/** Cumulative latency histogram with fixed bucket bounds, exposed in Prometheus text format. */
final class LatencyHistogram {
    /** Upper bounds in milliseconds; the last bucket is +Inf. */
    static final double[] BOUNDS_MILLIS = {5, 10, 25, 50, 100, 250, 500, 750, 1000, 2500, 5000};

    private final AtomicLongArray counts = new AtomicLongArray(BOUNDS_MILLIS.length + 1);
    private final DoubleAdder sumMillis = new DoubleAdder();

    void record(double millis) {
        int i = 0;
        while (i < BOUNDS_MILLIS.length && millis > BOUNDS_MILLIS[i]) {
            i++;
        }
        counts.incrementAndGet(i);
        sumMillis.add(millis);
    }

    void writePrometheus(StringBuilder out, String name) {
        out.append("# TYPE ").append(name).append(" histogram\n");
        long cumulative = 0;
        for (int i = 0; i < BOUNDS_MILLIS.length; i++) {
            cumulative += counts.get(i);
            out.append(name)
                    .append("_bucket{le=\"")
                    .append(BOUNDS_MILLIS[i] / 1000.0)
                    .append("\"} ")
                    .append(cumulative)
                    .append('\n');
        }
        cumulative += counts.get(BOUNDS_MILLIS.length);
        out.append(name).append("_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
        out.append(name).append("_sum ").append(sumMillis.sum() / 1000.0).append('\n');
        out.append(name).append("_count ").append(cumulative).append('\n');
    }
}
