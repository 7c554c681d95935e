package dev.sluice.client;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.local.LocalBucket;
import java.time.Clock;
import java.time.Duration;

/** The local token bucket a limiter enforces a rate with (Bucket4j, on the limiter's clock). */
final class Buckets {
    private Buckets() {}

    static LocalBucket create(Clock clock, double ratePerSecond, long burst) {
        return Bucket.builder()
                .withCustomTimePrecision(new ClockTimeMeter(clock))
                .addLimit(bandwidth(ratePerSecond, burst))
                .build();
    }

    /**
     * The bucket now refills at {@code ratePerSecond} and holds at most {@code burst}. It keeps the
     * tokens it has (never more than the new burst), as Sluice's own buckets do: a raise releases no
     * surge, a cut applies to the next request. Unless {@code fill}: the first answer's burst is the
     * client's to use at once, as a new bucket of Sluice's is full.
     */
    static void reconfigure(LocalBucket bucket, double ratePerSecond, long burst, boolean fill) {
        bucket.replaceConfiguration(
                BucketConfiguration.builder()
                        .addLimit(bandwidth(ratePerSecond, burst))
                        .build(),
                fill ? TokensInheritanceStrategy.RESET : TokensInheritanceStrategy.AS_IS);
    }

    /** Nanoseconds until the bucket holds one token. */
    static long nanosToOne(LocalBucket bucket) {
        return bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
    }

    private static Bandwidth bandwidth(double ratePerSecond, long burst) {
        double rate = ratePerSecond > 0 ? ratePerSecond : 1; // unused: a zero rate admits nothing before the bucket
        long capacity = Math.max(1, burst);
        double periodNanos = capacity / rate * 1e9;
        long period = (long) Math.min(Long.MAX_VALUE / 2, Math.max(1, Math.round(periodNanos)));
        return Bandwidth.builder()
                .capacity(capacity)
                .refillGreedy(capacity, Duration.ofNanos(period))
                .build();
    }

    /** A second of {@code ratePerSecond}, at least one: the burst of a rate Sluice gave no burst for. */
    static long oneSecondOf(double ratePerSecond) {
        return Math.max(1, (long) Math.ceil(ratePerSecond));
    }
}
