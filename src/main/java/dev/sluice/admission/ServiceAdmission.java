package dev.sluice.admission;

import io.github.bucket4j.ConsumptionProbe;
import java.util.List;
import java.util.function.Function;

/**
 * Admission of one service of one run on this replica: its current limit, its bucket (created when
 * it first opens) and its leases. The hot path reads volatile fields and calls the bucket; nothing
 * else is shared.
 */
public final class ServiceAdmission {
    final String name;
    final LeaseBook leases = new LeaseBook();
    /** Permits asked for, granted or not: with the leases' wants, what the service's clients want. */
    final java.util.concurrent.atomic.LongAdder asked = new java.util.concurrent.atomic.LongAdder();

    final java.util.concurrent.ConcurrentMap<AdmissionOutcome.Reason, io.micrometer.core.instrument.Counter> counters =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final Function<RateLimit, PermitBucket> bucketFactory;

    volatile boolean blocked;
    volatile List<String> blockedBy = List.of();
    volatile double allocationPerSecond;
    volatile RateLimit limit = RateLimit.CLOSED;
    private volatile PermitBucket bucket;

    private long askedAtLastMeasure;

    /**
     * What the clients wanted over the last {@code elapsedSeconds}: permits asked per second plus
     * what live leases want. Called by one thread at a time (the reporter).
     */
    synchronized double wantedPerSecond(double elapsedSeconds, java.time.Instant now) {
        long total = asked.sum();
        double permits = elapsedSeconds > 0 ? (total - askedAtLastMeasure) / elapsedSeconds : 0;
        askedAtLastMeasure = total;
        return permits + leases.wantedPerSecond(now);
    }

    public ServiceAdmission(String name, Function<RateLimit, PermitBucket> bucketFactory) {
        this.name = name;
        this.bucketFactory = bucketFactory;
    }

    /**
     * Applies a committed allocation: this replica's share of it, less what leases hold, refills the
     * permit bucket, with {@code burstSeconds} of it as burst.
     */
    public void allocate(
            boolean blocked,
            List<String> blockedBy,
            double sharePerSecond,
            double leasedPerSecond,
            double burstSeconds) {
        this.blocked = blocked;
        this.blockedBy = List.copyOf(blockedBy);
        this.allocationPerSecond = sharePerSecond;
        apply(RateLimit.of(Math.max(0, sharePerSecond - leasedPerSecond), burstSeconds));
    }

    /** Applies a new permit limit; creates the bucket the first time the service opens. */
    synchronized void apply(RateLimit next) {
        limit = next;
        if (next.isClosed()) {
            return;
        }
        if (bucket == null) {
            bucket = bucketFactory.apply(next);
        } else {
            bucket.reconfigure(next);
        }
    }

    /**
     * The admission decision for {@code permits} requests: blocked, unallocated, or the bucket's
     * answer. The hot path: volatile reads and one bucket call.
     *
     * @return the bucket's probe, or null when the service is blocked or has no permit rate
     * @throws TooManyAtOnceException when more permits are asked at once than the bucket can hold
     */
    public ConsumptionProbe admit(long permits) {
        asked.add(permits);
        RateLimit current = limit;
        PermitBucket b = bucket;
        if (blocked || current.isClosed() || b == null) {
            return null;
        }
        if (permits > current.burstTokens()) {
            throw new TooManyAtOnceException(current.burstTokens());
        }
        return b.tryConsume(permits);
    }

    public RateLimit limit() {
        return limit;
    }

    /** More permits asked in one request than the service's burst: they could never be granted. */
    public static final class TooManyAtOnceException extends RuntimeException {
        final long burst;

        TooManyAtOnceException(long burst) {
            super(null, null, false, false);
            this.burst = burst;
        }
    }
}
