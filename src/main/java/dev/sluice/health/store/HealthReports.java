package dev.sluice.health.store;

import dev.sluice.health.HealthSample;
import dev.sluice.runtime.BackgroundWork;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Health pushed by systems that cannot be probed. Stored in PostgreSQL, so a report sent to any
 * replica reaches the one that runs the loop.
 */
@ApplicationScoped
public class HealthReports {
    /** Reports older than this are deleted; no gate window is longer. */
    static final Duration RETENTION = Duration.ofHours(2);

    static final Duration PRUNE_PERIOD = Duration.ofMinutes(1);

    @Inject
    Clock clock;

    /** Records a report, timestamped by this server's clock (clients' clocks may be off). */
    @Transactional
    public Instant record(String planName, String sourceKey, Double errorRatio, Double latencyMillis) {
        HealthReportEntity e = new HealthReportEntity();
        e.planName = planName;
        e.sourceKey = sourceKey;
        e.at = clock.instant();
        e.errorRatio = errorRatio;
        e.latencyMillis = latencyMillis;
        e.persist();
        return e.at;
    }

    /**
     * The sample a push source gives now: its latest report, as a sample at the time it arrived (so a
     * gate counts it only while its window holds that time, and a report read again on the next tick
     * is the same sample, not another one), unless that is older than {@code staleAfter}. Reports
     * stored before a restart or an outage are thereby as old as they really are.
     */
    @Transactional
    public HealthSample sample(String planName, String sourceKey, Duration staleAfter, Instant now) {
        Optional<HealthReportEntity> latest = HealthReportEntity.<HealthReportEntity>find(
                        "planName = ?1 and sourceKey = ?2", Sort.descending("at"), planName, sourceKey)
                .firstResultOptional();
        if (latest.isEmpty()) {
            return HealthSample.unreadable(sourceKey, now, "no report pushed yet");
        }
        HealthReportEntity r = latest.get();
        Duration age = Duration.between(r.at, now);
        if (age.compareTo(staleAfter) > 0) {
            return HealthSample.unreadable(sourceKey, now, "last report is " + age.getSeconds() + " s old");
        }
        // Another replica's clock may be a little ahead: a report is never newer than now.
        Instant at = r.at.isAfter(now) ? now : r.at;
        return new HealthSample(sourceKey, at, true, r.errorRatio, r.latencyMillis, null);
    }

    @Inject
    BackgroundWork work;

    private BackgroundWork.Periodic pruning;

    /**
     * Keeps the table small from start-up on, every {@link #PRUNE_PERIOD}: no gate looks further back
     * than the retention. Idempotent on every replica.
     */
    void onStart(@Observes StartupEvent event) {
        pruning = work.every(
                "health report pruning", Duration.ofSeconds(30), PRUNE_PERIOD, this::deleteOlderThanRetention);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (pruning != null) {
            pruning.stop();
        }
    }

    @Transactional
    public long deleteOlderThanRetention() {
        return HealthReportEntity.delete("at < ?1", clock.instant().minus(RETENTION));
    }
}
