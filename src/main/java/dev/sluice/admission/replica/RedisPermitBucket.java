package dev.sluice.admission.replica;

import dev.sluice.admission.ClockTimeMeter;
import dev.sluice.admission.LocalPermitBucket;
import dev.sluice.admission.PermitBucket;
import dev.sluice.admission.RateLimit;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.time.Clock;
import java.util.function.IntSupplier;

/**
 * A bucket kept in Redis (Bucket4j's compare-and-swap over Lettuce), shared by every replica:
 * globally exact, one Redis round trip or two per decision. While Redis does not answer it fails
 * static: a local bucket at this replica's share of the last committed limit answers, never more
 * (fail open) and never an error. Back on Redis, the shared bucket is emptied first (one permit
 * left), as on a reopening, so what it refilled meanwhile is not released on top of what this
 * replica admitted locally.
 */
public final class RedisPermitBucket implements PermitBucket {
    private static final String PREFIX = "sluice:bucket:";

    private final RedisLink link;
    private final String key;
    private final IntSupplier liveReplicas;
    private final Clock clock;
    private volatile RateLimit limit;

    // Guarded by this.
    private ProxyManager<String> proxyOf;
    private BucketProxy proxy;
    private RateLimit configured;
    private LocalPermitBucket local;

    /**
     * @param liveReplicas how many replicas admit now; while Redis is down each takes its part
     */
    public RedisPermitBucket(RedisLink link, String name, RateLimit limit, IntSupplier liveReplicas, Clock clock) {
        this.link = link;
        this.key = PREFIX + name;
        this.limit = limit;
        this.liveReplicas = liveReplicas;
        this.clock = clock;
    }

    @Override
    public ConsumptionProbe tryConsume(long permits) {
        BucketProxy remote = remote();
        if (remote != null) {
            try {
                ConsumptionProbe probe = remote.tryConsumeAndReturnRemaining(permits);
                link.succeeded();
                return probe;
            } catch (RuntimeException e) {
                link.failed(e);
            }
        }
        return local().tryConsume(permits);
    }

    /** Takes effect in Redis on its next use, so a change made while it is down is not lost. */
    @Override
    public synchronized void reconfigure(RateLimit next) {
        limit = next;
        if (local != null) {
            RateLimit share = share(next);
            local.reconfigure(share);
        }
    }

    @Override
    public synchronized void empty() {
        if (local != null) {
            local.empty();
        }
        BucketProxy remote = remote();
        if (remote != null) {
            try {
                remote.tryConsumeAsMuchAsPossible();
                remote.addTokens(1);
                link.succeeded();
                return;
            } catch (RuntimeException e) {
                link.failed(e);
            }
        }
        local().empty();
    }

    @Override
    public RateLimit limit() {
        return limit;
    }

    @Override
    public long availableTokens() {
        BucketProxy remote = remote();
        if (remote != null) {
            try {
                long available = remote.getAvailableTokens();
                link.succeeded();
                return available;
            } catch (RuntimeException e) {
                link.failed(e);
            }
        }
        return local().availableTokens();
    }

    /** Whether this bucket answers from this replica's memory now (Redis did not answer). */
    public synchronized boolean answersLocally() {
        return local != null;
    }

    /**
     * The Redis bucket, brought up to date (limit, emptied after local answers), or null when Redis
     * is down.
     */
    private synchronized BucketProxy remote() {
        ProxyManager<String> manager = link.manager();
        if (manager == null) {
            return null;
        }
        RateLimit wanted = limit;
        try {
            if (proxy == null || proxyOf != manager || !wanted.equals(configured)) {
                BucketProxy next = manager.builder().build(key, wanted::toConfiguration);
                if (configured != null && !wanted.equals(configured)) {
                    next.replaceConfiguration(wanted.toConfiguration(), TokensInheritanceStrategy.AS_IS);
                }
                proxy = next;
                proxyOf = manager;
                configured = wanted;
            }
            if (local != null) {
                proxy.tryConsumeAsMuchAsPossible();
                proxy.addTokens(1);
                local = null;
                link.succeeded();
            }
            return proxy;
        } catch (RuntimeException e) {
            link.failed(e);
            return null;
        }
    }

    private synchronized LocalPermitBucket local() {
        RateLimit share = share(limit);
        if (local == null) {
            local = new LocalPermitBucket(share, new ClockTimeMeter(clock));
        } else if (!share.equals(local.limit())) {
            local.reconfigure(share);
        }
        return local;
    }

    /** This replica's part of a limit shared by all: the rate and the burst divided by the live replicas. */
    private RateLimit share(RateLimit whole) {
        int replicas = Math.max(1, liveReplicas.getAsInt());
        return new RateLimit(whole.ratePerSecond() / replicas, Math.max(1, whole.burstTokens() / replicas));
    }
}
