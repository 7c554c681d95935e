package dev.sluice.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * after failed attempt {@code n} (1 for the first), the next waits a uniformly random time in
 * {@code [0, min(max, initial * 2^(n-1))]}, so receivers that come back are not hit by every
 * sender at once. Immutable; the random source is given, so a test fixes it.
 */
public record Backoff(Duration initial, Duration max) {
    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max");
        }
    }

    /** The upper bound of the wait after failed attempt {@code attempt}. */
    public Duration cap(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 62));
        long initialMillis = initial.toMillis();
        if (doublings >= 62 || initialMillis > (max.toMillis() >> doublings)) {
            return max;
        }
        return Duration.ofMillis(Math.min(max.toMillis(), initialMillis << doublings));
    }

    /**
     * When to try again after failed attempt {@code attempt}.
     *
     * @param random a uniform value in {@code [0, 1)}
     */
    public Instant next(Instant now, int attempt, DoubleSupplier random) {
        double r = random.getAsDouble();
        if (r < 0 || r >= 1) {
            throw new IllegalArgumentException("random must be in [0, 1): " + r);
        }
        return now.plusMillis((long) Math.floor(cap(attempt).toMillis() * r));
    }
}
