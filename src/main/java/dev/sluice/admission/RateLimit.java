package dev.sluice.admission;

import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;

/**
 * A token bucket's shape: refilled continuously at {@code ratePerSecond}, holding at most
 * {@code burstTokens} (at least one whole token, so a single permit can always eventually pass).
 * A zero rate means closed: nothing is admitted.
 */
public record RateLimit(double ratePerSecond, long burstTokens) {

    public static final RateLimit CLOSED = new RateLimit(0, 0);
    /** Bucket4j refills at most one token per nanosecond. */
    public static final double MAX_RATE_PER_SECOND = 1e9;

    /** The limit for a rate and a burst given in seconds of that rate. */
    public static RateLimit of(double ratePerSecond, double burstSeconds) {
        if (!(ratePerSecond > 0) || !Double.isFinite(ratePerSecond)) {
            return CLOSED;
        }
        double rate = Math.min(ratePerSecond, MAX_RATE_PER_SECOND);
        return new RateLimit(rate, Math.max(1, (long) Math.floor(rate * burstSeconds)));
    }

    public boolean isClosed() {
        return ratePerSecond <= 0;
    }

    /**
     * The Bucket4j configuration: {@code burstTokens} refilled greedily every
     * {@code burstTokens / ratePerSecond} seconds, i.e. continuously at the rate. A bucket built
     * from it starts with a single permit, so a service's first request passes: one that started
     * full would release a burst on top of a stage whose budget is already allocated to the
     * services that were open before it.
     */
    public BucketConfiguration toConfiguration() {
        if (isClosed()) {
            throw new IllegalStateException("a closed limit has no bucket");
        }
        long periodNanos = Math.max(1, Math.round(burstTokens / ratePerSecond * 1e9));
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(burstTokens)
                        .refillGreedy(burstTokens, Duration.ofNanos(periodNanos))
                        .initialTokens(1))
                .build();
    }
}
