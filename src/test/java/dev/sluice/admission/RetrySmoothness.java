package dev.sluice.admission;

import io.github.bucket4j.TimeMeter;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * How smoothly refused clients come back, for three kinds of client: reading {@code Retry-After}
 * rounded up to whole seconds (as before), reading the drawn whole seconds (now), and reading the
 * milliseconds ({@code retry-after-ms}). Seeded, on a simulated clock, with the production
 * {@link RetryAfter} and {@link LocalPermitBucket}; not run by the test suite:
 *
 * <pre>
 * ./mvnw -B -q test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *     -Dexec.args="-cp %classpath dev.sluice.admission.RetrySmoothness"
 * </pre>
 *
 * <ol>
 *   <li><b>Refused together</b>: 10,000 clients refused at the same instant (a 10 ms wait): when
 *       they come back, per second and per 100 ms.
 *   <li><b>Closed loop</b>: 1,200, 3,000 or 10,000 clients, each with an endless backlog, ask one permit at a time
 *       of a 1,000/s bucket (burst 1 s), all starting together (a stage opening). A refused client
 *       waits what it reads, a granted one sends its request to the tier (20–80 ms) and asks again;
 *       every ask takes 1–20 ms of network. Measured from 20 s to 80 s: the coefficient of variation
 *       (sd / mean) of asks and of grants per 100 ms.
 * </ol>
 */
public final class RetrySmoothness {
    private static final long SECOND = 1_000_000_000L;
    private static final long MILLI = 1_000_000L;

    /** What a refused client reads. */
    enum Reader {
        SECONDS_ROUNDED_UP("whole seconds, rounded up (before)"),
        SECONDS_DRAWN("whole seconds, drawn (now)"),
        MILLIS("milliseconds (retry-after-ms)");

        final String label;

        Reader(String label) {
            this.label = label;
        }

        long waitNanos(RetryAfter r) {
            return switch (this) {
                case SECONDS_ROUNDED_UP -> RetryAfter.headerSeconds(r.millis()) * SECOND;
                case SECONDS_DRAWN -> r.seconds() * SECOND;
                case MILLIS -> r.millis() * MILLI;
            };
        }
    }

    public static void main(String[] args) {
        for (long spreadSeconds : new long[] {1, 2}) {
            System.out.printf(Locale.ROOT, "%n== spread (policy.retryAfterSeconds) %d s ==%n", spreadSeconds);
            System.out.println("refused together, 10,000 clients, 10 ms wait:");
            for (Reader reader : Reader.values()) {
                refusedTogether(reader, spreadSeconds);
            }
            for (int clients : new int[] {1_200, 3_000, 10_000}) {
                System.out.printf(Locale.ROOT, "closed loop, %,d clients, 1,000/s bucket, 20-80 s:%n", clients);
                for (Reader reader : Reader.values()) {
                    closedLoop(reader, spreadSeconds, clients);
                }
            }
        }
    }

    static void refusedTogether(Reader reader, long spreadSeconds) {
        SplittableRandom random = new SplittableRandom(1);
        int clients = 10_000;
        int windowBins = (int) (spreadSeconds + 2) * 10;
        long[] per100Millis = new long[windowBins];
        long[] perSecond = new long[(int) spreadSeconds + 2];
        for (int i = 0; i < clients; i++) {
            long back = reader.waitNanos(RetryAfter.of(10 * MILLI, spreadSeconds * SECOND, random));
            per100Millis[(int) Math.min(windowBins - 1, back / (100 * MILLI))]++;
            perSecond[(int) Math.min(perSecond.length - 1, back / SECOND)]++;
        }
        // Over the bins the returns can fall in: from the first to the last one used.
        System.out.printf(
                Locale.ROOT,
                "  %-36s per second %-26s CV per 100 ms %.2f, busiest 100 ms %4.1f%%%n",
                reader.label,
                java.util.Arrays.toString(perSecond),
                cv(used(per100Millis)),
                100.0 * max(per100Millis) / clients);
    }

    static void closedLoop(Reader reader, long spreadSeconds, int clients) {
        SplittableRandom random = new SplittableRandom(7);
        long[] now = {0};
        TimeMeter time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return now[0];
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        PermitBucket bucket = new LocalPermitBucket(RateLimit.of(1_000, 1.0), time);
        long end = 80 * SECOND;
        long from = 20 * SECOND;
        int bins = (int) ((end - from) / (100 * MILLI));
        long[] asks = new long[bins];
        long[] grants = new long[bins];
        PriorityQueue<long[]> next = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        for (int c = 0; c < clients; c++) {
            next.add(new long[] {network(random), c});
        }
        while (!next.isEmpty() && next.peek()[0] < end) {
            long[] ask = next.poll();
            now[0] = ask[0];
            var probe = bucket.tryConsume(1);
            int bin = (int) ((now[0] - from) / (100 * MILLI));
            boolean measured = now[0] >= from;
            if (measured) {
                asks[bin]++;
            }
            long after;
            if (probe.isConsumed()) {
                if (measured) {
                    grants[bin]++;
                }
                after = 20 * MILLI + random.nextLong(60 * MILLI); // the request to the tier
            } else {
                long wait = probe.getNanosToWaitForRefill();
                after = reader.waitNanos(RetryAfter.of(wait, spreadSeconds * SECOND, random));
            }
            ask[0] = now[0] + after + network(random);
            next.add(ask);
        }
        System.out.printf(
                Locale.ROOT,
                "  %-36s asks/100 ms CV %.2f (busiest %,d), grants/100 ms CV %.2f, %.0f grants/s%n",
                reader.label,
                cv(asks),
                max(asks),
                cv(grants),
                java.util.Arrays.stream(grants).sum() / ((end - from) / (double) SECOND));
    }

    private static long network(SplittableRandom random) {
        return MILLI + random.nextLong(19 * MILLI);
    }

    private static long[] used(long[] bins) {
        int first = 0;
        while (first < bins.length && bins[first] == 0) {
            first++;
        }
        int last = bins.length - 1;
        while (last > first && bins[last] == 0) {
            last--;
        }
        return java.util.Arrays.copyOfRange(bins, first, last + 1);
    }

    private static long max(long[] values) {
        return java.util.Arrays.stream(values).max().orElse(0);
    }

    /** Coefficient of variation: standard deviation over mean. */
    static double cv(long[] values) {
        double mean = java.util.Arrays.stream(values).average().orElse(0);
        if (mean == 0) {
            return 0;
        }
        double variance = java.util.Arrays.stream(values)
                .mapToDouble(v -> (v - mean) * (v - mean))
                .average()
                .orElse(0);
        return Math.sqrt(variance) / mean;
    }
}
