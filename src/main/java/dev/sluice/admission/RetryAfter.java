package dev.sluice.admission;

import java.util.random.RandomGenerator;

/**
 * When a refused client should come back: never before the bucket could grant it, plus full
 * jitter so that clients refused together do not return together.
 */
public final class RetryAfter {
    private RetryAfter() {}

    /**
     * @param waitNanos the bucket's true wait for the permits asked
     * @param spreadNanos how far beyond the wait to spread clients (at least the wait itself)
     * @return milliseconds: {@code waitNanos} + uniform(0, max(waitNanos, spreadNanos)), rounded up
     */
    public static long millis(long waitNanos, long spreadNanos, RandomGenerator random) {
        long spread = Math.max(Math.max(waitNanos, spreadNanos), 1);
        long jitter = random.nextLong(spread);
        return ceilDiv(Math.max(0, waitNanos) + jitter, 1_000_000L);
    }

    /** The HTTP {@code Retry-After} value: whole seconds, rounded up, at least 1. */
    public static long headerSeconds(long millis) {
        return Math.max(1, ceilDiv(millis, 1000));
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
