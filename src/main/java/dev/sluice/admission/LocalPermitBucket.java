package dev.sluice.admission;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.local.LocalBucket;

/**
 * A bucket in this replica's memory: no I/O. Starts holding one permit. Synchronized rather than
 * Bucket4j's lock-free default: on a hot bucket with two threads it measured 275 ns/op against
 * 490 ± 640 ns/op lock-free (CAS retries), and the same ~50 ns/op single-threaded (see README).
 */
public final class LocalPermitBucket implements PermitBucket {
    private final LocalBucket bucket;
    private volatile RateLimit limit;

    public LocalPermitBucket(RateLimit limit, TimeMeter time) {
        this.limit = limit;
        this.bucket = Bucket.builder()
                .addLimit(limit.toConfiguration().getBandwidths()[0])
                .withCustomTimePrecision(time)
                .withSynchronizationStrategy(io.github.bucket4j.local.SynchronizationStrategy.SYNCHRONIZED)
                .build();
    }

    @Override
    public ConsumptionProbe tryConsume(long permits) {
        return bucket.tryConsumeAndReturnRemaining(permits);
    }

    @Override
    public synchronized void reconfigure(RateLimit next) {
        if (!next.equals(limit)) {
            bucket.replaceConfiguration(next.toConfiguration(), TokensInheritanceStrategy.AS_IS);
            limit = next;
        }
    }

    @Override
    public void empty() {
        bucket.tryConsumeAsMuchAsPossible();
        bucket.addTokens(1);
    }

    @Override
    public RateLimit limit() {
        return limit;
    }

    @Override
    public long availableTokens() {
        return bucket.getAvailableTokens();
    }
}
