package dev.sluice.admission;

import io.github.bucket4j.ConsumptionProbe;

/**
 * The token bucket of one service: local to this replica, or shared by all replicas in PostgreSQL.
 * Implementations are thread-safe.
 */
public interface PermitBucket {
    /** Takes {@code permits} tokens if there are that many; says how long to wait if not. */
    ConsumptionProbe tryConsume(long permits);

    /**
     * Changes the rate and burst in place. Tokens already in the bucket are kept, but never more
     * than the new burst ({@code TokensInheritanceStrategy.AS_IS}): a raise cannot release a surge,
     * and a cut takes effect on the next request.
     */
    void reconfigure(RateLimit limit);

    /**
     * Leaves the bucket holding a single permit, as a new one does. A bucket keeps refilling while
     * its service is closed (blocked, or no allocation); it is emptied when the service reopens, so
     * the reopening does not release a burst the stage has not budgeted.
     */
    void empty();

    RateLimit limit();

    /** The tokens the bucket holds now. */
    long availableTokens();
}
