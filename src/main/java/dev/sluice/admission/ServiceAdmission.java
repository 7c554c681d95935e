package dev.sluice.admission;

import io.github.bucket4j.ConsumptionProbe;
import java.util.List;
import java.util.function.Function;

/**
 * Admission of one service of one run on this replica: its current limit, its bucket (created when
 * it first opens) and its leases. The hot path reads volatile fields and calls the bucket; nothing
 * else is shared.
 */
final class ServiceAdmission {
    final String name;
    final LeaseBook leases = new LeaseBook();
    private final Function<RateLimit, PermitBucket> bucketFactory;

    volatile boolean blocked;
    volatile List<String> blockedBy = List.of();
    volatile double allocationPerSecond;
    volatile RateLimit limit = RateLimit.CLOSED;
    private volatile PermitBucket bucket;

    ServiceAdmission(String name, Function<RateLimit, PermitBucket> bucketFactory) {
        this.name = name;
        this.bucketFactory = bucketFactory;
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

    /** Null when the service has no open bucket. */
    ConsumptionProbe tryConsume(long permits) {
        PermitBucket b = bucket;
        return b == null || limit.isClosed() ? null : b.tryConsume(permits);
    }
}
