package dev.sluice.client;

import java.time.Clock;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/** What a limiter is built with (see {@link SluiceClient.Builder}). */
record Settings(
        Transport transport,
        String basePath,
        String service,
        String clientId,
        double wantPerSecond,
        double safeRatePerSecond,
        LongSupplier backlog,
        SluiceListener listener,
        Clock clock,
        Sleeper sleeper,
        RandomGenerator random,
        Duration pollInterval,
        boolean background) {

    /** The client's backlog as its supplier says; a failing supplier counts as none. */
    long backlogNow() {
        try {
            return Math.max(0, backlog.getAsLong());
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * How long to wait before asking again after {@code failures} failures in a row: doubling from half
     * a second to 30 s, each drawn from its upper half so that clients that lost Sluice together do not
     * all come back together.
     */
    Duration backoff(int failures) {
        long base = Math.min(30_000, 500L << Math.min(16, Math.max(0, failures - 1)));
        return Duration.ofMillis(base / 2 + random.nextLong(base / 2 + 1));
    }
}
