package dev.sluice.admission.replica;

import dev.sluice.admission.PermitBucket;
import dev.sluice.admission.RateLimit;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * The Redis exact backend ({@code sluice.admission.exact-backend=redis}): buckets in Redis, shared
 * by every replica. Connects on first use, so a replica that never admits in exact mode never
 * talks to Redis. {@code sluice.admission.redis.local} is 1 while Redis does not answer and the
 * buckets answer locally.
 */
@ApplicationScoped
class RedisBuckets {
    @Inject
    AdmissionSettings settings;

    @Inject
    Replicas replicas;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry metrics;

    private RedisLink link;

    public PermitBucket bucket(String name, RateLimit limit) {
        return new RedisPermitBucket(link(), name, limit, replicas::live, clock);
    }

    private synchronized RedisLink link() {
        if (link == null) {
            link = new RedisLink(settings.redisUrl(), clock);
            Gauge.builder("sluice.admission.redis.local", link, l -> l.down() ? 1 : 0)
                    .description("1 while Redis does not answer and exact-mode buckets answer locally")
                    .register(metrics);
        }
        return link;
    }

    @PreDestroy
    synchronized void close() {
        if (link != null) {
            link.close();
        }
    }
}
