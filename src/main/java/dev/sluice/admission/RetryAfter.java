package dev.sluice.admission;

import java.util.random.RandomGenerator;

/**
 * When a refused client should come back: never before the bucket could grant it, plus full
 * jitter so that clients refused together do not return together. Two precisions of one draw:
 *
 * <ul>
 *   <li>{@code millis}: the bucket's true wait plus uniform jitter over the spread, for clients that
 *       read milliseconds (the problem's {@code retryAfterMillis}, the {@code retry-after-ms}
 *       header);
 *   <li>{@code seconds}: the standard {@code Retry-After} header. Rounding the millisecond value up
 *       would send almost every client refused within one spread of a second the same number (in
 *       one end-to-end run 17,429 of 17,476 refusals said {@code 1}), and they came back together.
 *       So the whole second is drawn too: uniformly over the whole seconds the spread covers (at
 *       least two), starting at the true wait rounded up. Clients reading only whole seconds
 *       therefore come back evenly over those seconds, and never before the bucket's wait.
 * </ul>
 *
 * <p>The two are drawn together (the same quantile of their ranges), so a client told to wait long
 * in milliseconds is told to wait long in seconds too.
 *
 * @param millis when to come back, in milliseconds
 * @param seconds when to come back, in whole seconds (at least 1)
 */
public record RetryAfter(long millis, long seconds) {
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /**
     * @param waitNanos the bucket's true wait for the permits asked
     * @param spreadNanos how far beyond the wait to spread clients (at least the wait itself)
     * @param random one draw per call
     */
    public static RetryAfter of(long waitNanos, long spreadNanos, RandomGenerator random) {
        long wait = Math.max(0, waitNanos);
        long spread = Math.max(Math.max(wait, spreadNanos), 1);
        long jitter = random.nextLong(spread);
        long millis = ceilDiv(wait + jitter, NANOS_PER_MILLI);
        long earliestSeconds = Math.max(1, ceilDiv(wait, NANOS_PER_SECOND));
        long seconds = earliestSeconds + wholeSecondSlot(jitter, spread);
        return new RetryAfter(millis, seconds);
    }

    /**
     * Which of the spread's whole seconds a jitter falls in: as many seconds as the spread lasts
     * (rounded), at least two, so that clients reading whole seconds never all get the same one.
     */
    static long wholeSecondSlot(long jitterNanos, long spreadNanos) {
        long slots = Math.max(2, Math.round((double) spreadNanos / NANOS_PER_SECOND));
        long slot = (long) ((double) jitterNanos / spreadNanos * slots);
        return Math.min(slots - 1, Math.max(0, slot));
    }

    /**
     * The millisecond value alone: {@code waitNanos} + uniform(0, max(waitNanos, spreadNanos)),
     * rounded up.
     */
    public static long millis(long waitNanos, long spreadNanos, RandomGenerator random) {
        return of(waitNanos, spreadNanos, random).millis();
    }

    /**
     * The earliest whole-second {@code Retry-After} that honours a wait of {@code millis}: whole
     * seconds, rounded up, at least 1.
     */
    public static long headerSeconds(long millis) {
        return Math.max(1, ceilDiv(millis, 1000));
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
