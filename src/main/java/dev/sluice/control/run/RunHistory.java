package dev.sluice.control.run;

import dev.sluice.control.Decision;
import dev.sluice.control.RunSample;
import dev.sluice.control.store.StoredRun;
import dev.sluice.runtime.BackgroundWork;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Each run's compact history (budget, admitted, wanted), for the console's chart. A sample is
 * written as a decision is recorded, in its transaction, by one statement that stores nothing when
 * the run's last sample is younger than {@link RunSample#spacing} and the decision changed nothing
 * (no transition): at most one row per tick, and a long run stays small. Samples older than
 * {@code sluice.console.sample-retention} are deleted hourly. Stateless and thread-safe.
 */
@ApplicationScoped
public class RunHistory implements DecisionListener {
    /** Plenty for the chart's width; the newest are kept. */
    static final int MAX_READ = 5_000;

    static final Duration PURGE_PERIOD = Duration.ofHours(1);

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    BackgroundWork work;

    @ConfigProperty(name = "sluice.console.sample-retention", defaultValue = "30d")
    Duration retention;

    private BackgroundWork.Periodic purging;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void recorded(StoredRun after, Decision decision, String actor, String startReason, Instant now) {
        RunSample s = RunSample.of(after.plan(), decision.next(), now);
        Instant since = decision.transitions().isEmpty()
                ? now.minus(RunSample.spacing(Duration.between(after.createdAt(), now)))
                : now;
        em.createNativeQuery("INSERT INTO run_sample"
                        + " (run_id, at, stage, budget_per_second, admitted_per_second, wanted_per_second)"
                        + " SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE NOT EXISTS"
                        + " (SELECT 1 FROM run_sample WHERE run_id = ?1 AND at > ?7)"
                        + " ON CONFLICT DO NOTHING")
                .setParameter(1, after.id())
                .setParameter(2, s.at())
                .setParameter(3, s.stage())
                .setParameter(4, s.budgetPerSecond())
                .setParameter(5, s.admittedPerSecond())
                .setParameter(6, s.wantedPerSecond())
                .setParameter(7, since)
                .executeUpdate();
    }

    /** The run's samples, oldest first (at most {@link #MAX_READ}, the newest). */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<RunSample> of(String runId) {
        List<Object[]> rows = em.createNativeQuery("SELECT at, stage, budget_per_second, admitted_per_second,"
                        + " wanted_per_second FROM (SELECT * FROM run_sample WHERE run_id = ?1"
                        + " ORDER BY at DESC LIMIT ?2) newest ORDER BY at")
                .setParameter(1, runId)
                .setParameter(2, MAX_READ)
                .getResultList();
        return rows.stream()
                .map(r -> new RunSample(
                        instant(r[0]),
                        ((Number) r[1]).intValue(),
                        ((Number) r[2]).doubleValue(),
                        ((Number) r[3]).doubleValue(),
                        r[4] == null ? null : ((Number) r[4]).doubleValue()))
                .toList();
    }

    /** Deletes samples older than the retention; returns how many. */
    @Transactional
    public int deleteOlderThanRetention() {
        return em.createNativeQuery("DELETE FROM run_sample WHERE at < ?1")
                .setParameter(1, clock.instant().minus(retention))
                .executeUpdate();
    }

    void onStart(@Observes StartupEvent event) {
        purging =
                work.every("run sample retention", Duration.ofMinutes(1), PURGE_PERIOD, this::deleteOlderThanRetention);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (purging != null) {
            purging.stop();
        }
    }

    private static Instant instant(Object o) {
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + o.getClass());
    }
}
