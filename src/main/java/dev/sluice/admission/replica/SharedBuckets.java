package dev.sluice.admission.replica;

import dev.sluice.admission.ClockTimeMeter;
import dev.sluice.admission.PermitBucket;
import dev.sluice.admission.RateLimit;
import io.agroal.api.AgroalDataSource;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * The exact-mode bucket backend: buckets in PostgreSQL (Bucket4j's proxy manager), shared by every
 * replica. The proxy manager is built on first use, so a replica that never admits in exact mode
 * never touches the {@code bucket} table.
 */
@ApplicationScoped
class SharedBuckets {
    @Inject
    AgroalDataSource dataSource;

    @Inject
    Clock clock;

    private volatile ProxyManager<Long> proxyManager;

    public PermitBucket bucket(String name, RateLimit limit) {
        return new SharedPermitBucket(proxyManager(), name, limit);
    }

    private ProxyManager<Long> proxyManager() {
        if (proxyManager == null) {
            synchronized (this) {
                if (proxyManager == null) {
                    proxyManager = Bucket4jPostgreSQL.advisoryLockBasedBuilder(dataSource)
                            .clientClock(new ClockTimeMeter(clock))
                            .build();
                }
            }
        }
        return proxyManager;
    }
}
