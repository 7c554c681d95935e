package dev.sluice.admission;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.local.LocalBucket;
import io.github.bucket4j.local.SynchronizationStrategy;
import java.util.function.LongSupplier;

/**
 * What a run's services leave unused of their permit rates on this replica, lent to services that
 * ask for more than their own share (a two-level token bucket, as in hierarchical traffic
 * shaping). Every permit a service's own bucket grants is also taken from here, whether or not
 * tokens are left (the balance may go below zero); a loan is granted only from tokens actually
 * there, and not held by any service's own bucket (what a bucket holds, its owner may still spend
 * as a burst). So the loans are exactly the rate the services did not use and can no longer use,
 * and a service is never short of its own share because another one borrowed.
 *
 * <p>Why: each service's bucket holds little (a stage's bursts come out of the tier's headroom, at
 * a full stage a tenth of a second), so a service whose clients asked for a little less than its
 * share in a second lost the difference, and a service with a backlog could not use it until the
 * next tick moved budget by measured wants. In the reference simulation the full stage admitted
 * ~9,800/s of its 10,000/s that way.
 *
 * <p>The grants of a run on one replica in any window stay within the summed rate × window plus
 * the buckets' bursts (cut to the headroom), as without lending. Thread-safe.
 */
public final class SpareBudget {
    private final LocalBucket bucket;
    private volatile RateLimit limit = RateLimit.CLOSED;

    public SpareBudget(TimeMeter time) {
        // Configured closed-equivalent until the first reconfigure: one token a second, holding one.
        this.bucket = Bucket.builder()
                .addLimit(RateLimit.of(1, 1).toConfiguration().getBandwidths()[0])
                .withCustomTimePrecision(time)
                .withSynchronizationStrategy(SynchronizationStrategy.SYNCHRONIZED)
                .build();
        bucket.tryConsumeAsMuchAsPossible();
    }

    /**
     * Sets the summed permit rate of the run's services on this replica and the burst this bucket
     * may hold. Tokens already here are kept, never more than the new burst; a closed limit lends
     * nothing.
     */
    public synchronized void reconfigure(RateLimit next) {
        if (next.equals(limit)) {
            return;
        }
        boolean wasClosed = limit.isClosed();
        limit = next;
        if (next.isClosed()) {
            return;
        }
        bucket.replaceConfiguration(next.toConfiguration(), TokensInheritanceStrategy.AS_IS);
        if (wasClosed) {
            // Whatever accrued while nothing was open is not spare budget of the stage now in force.
            bucket.tryConsumeAsMuchAsPossible();
        }
    }

    /** A service's own bucket granted {@code permits}: they are taken from the spare too. */
    public void spent(long permits) {
        if (!limit.isClosed()) {
            bucket.consumeIgnoringRateLimits(permits);
        }
    }

    /**
     * Lends {@code permits} if that many are unused and held by no service's own bucket; false
     * otherwise.
     *
     * @param savedByServices the tokens the services' own buckets hold now: rate they did not use
     *     yet but may still use (a burst). Lending those too would let the same budget be spent
     *     twice, once on loan and once as the owner's burst.
     */
    public boolean tryLend(long permits, LongSupplier savedByServices) {
        if (limit.isClosed() || bucket.getAvailableTokens() < permits) {
            return false;
        }
        return bucket.getAvailableTokens() - savedByServices.getAsLong() >= permits && bucket.tryConsume(permits);
    }

    /** Tokens unused now (negative while the services' own bursts are being paid back). */
    public long available() {
        return bucket.getAvailableTokens();
    }

    public RateLimit limit() {
        return limit;
    }
}
