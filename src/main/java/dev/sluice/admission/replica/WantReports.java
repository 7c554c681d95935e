package dev.sluice.admission.replica;

import dev.sluice.admission.RunAdmission;
import dev.sluice.control.ServiceWants;
import dev.sluice.runtime.BackgroundWork;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Every replica reports what its clients want per service (permits asked, stated wants, lease
 * wants) into PostgreSQL every {@code sluice.admission.want-report-period} (500 ms: half the
 * default tick, so a want a client states reaches the next tick); the leader sums a run's fresh
 * reports at each tick. A
 * replica that stops reporting drops out after {@link Replicas#LIVENESS}. When the database cannot
 * be read, the controller sees no wants: services get their demand, no extra (the safe side).
 */
@ApplicationScoped
public class WantReports implements ServiceWants {
    private static final Logger LOG = Logger.getLogger(WantReports.class);
    /** How long a report is kept: the longest lease a plan may set, and then some. */
    private static final Duration RETENTION =
            Duration.ofSeconds(dev.sluice.plan.PlanLimits.MAX_LEASE_SECONDS).plus(Replicas.LIVENESS);

    @Inject
    AdmissionRegistry admission;

    @Inject
    Replicas replicas;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    AdmissionSettings settings;

    @Inject
    BackgroundWork work;

    private BackgroundWork.Periodic reports;

    /** Reports every want-report period from start-up (unless refreshing is off) until shut-down. */
    void onStart(@Observes StartupEvent event) {
        if (settings.refreshEnabled()) {
            reports = work.every("want reports", Duration.ZERO, settings.wantReportPeriod(), this::report);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (reports != null) {
            reports.stop();
        }
    }

    /** Writes this replica's wants since the last report. */
    public void report() {
        List<RunAdmission.Want> wants = admission.measureWants();
        Instant now = clock.instant();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                for (RunAdmission.Want w : wants) {
                    em.createNativeQuery("INSERT INTO service_want (run_id, replica_id, service, wanted_per_second, "
                                    + "leased_per_second, reported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                                    + "ON CONFLICT (run_id, replica_id, service) "
                                    + "DO UPDATE SET wanted_per_second = EXCLUDED.wanted_per_second, "
                                    + "leased_per_second = EXCLUDED.leased_per_second, "
                                    + "reported_at = EXCLUDED.reported_at")
                            .setParameter(1, w.runId())
                            .setParameter(2, replicas.id())
                            .setParameter(3, w.service())
                            .setParameter(4, w.wantedPerSecond())
                            .setParameter(5, w.leasedPerSecond())
                            .setParameter(6, now)
                            .executeUpdate();
                }
                // Kept past their freshness for as long as a lease may live: a restarted process
                // reads its predecessor's last reports (leasesGrantedElsewhere).
                em.createNativeQuery("DELETE FROM service_want WHERE reported_at < ?1")
                        .setParameter(1, now.minus(RETENTION))
                        .executeUpdate();
            });
        } catch (RuntimeException e) {
            LOG.debugf("could not report service wants: %s", e.getMessage());
        }
    }

    /**
     * The leases of a run that replicas which stopped reporting — this process's predecessor on a
     * restart, a replica that died — may have granted and their clients may still enforce: per
     * service, what those replicas' lease books held at their last report, until a lease granted
     * just after it would have ended. (A lease granted between that report and the end of the
     * replica is not seen; it is at most one report period old.) A replica still reporting holds its own leases
     * (allocations are divided among live replicas), so only reports older than two report periods
     * count, and only those younger than a lease. Nothing when the database cannot be read.
     */
    public List<RunAdmission.LeasesGrantedElsewhere> leasesGrantedElsewhere(String runId, Duration leaseDuration) {
        Duration period = settings.wantReportPeriod();
        Instant now = clock.instant();
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                @SuppressWarnings("unchecked")
                List<Object[]> rows = em.createNativeQuery("SELECT service, sum(leased_per_second), max(reported_at) "
                                + "FROM service_want WHERE run_id = ?1 AND replica_id <> ?2 AND reported_at >= ?3 "
                                + "AND reported_at < ?4 AND leased_per_second > 0 GROUP BY service")
                        .setParameter(1, runId)
                        .setParameter(2, replicas.id())
                        .setParameter(3, now.minus(leaseDuration).minus(period.multipliedBy(2)))
                        .setParameter(4, now.minus(period.multipliedBy(2)))
                        .getResultList();
                List<RunAdmission.LeasesGrantedElsewhere> leases = new java.util.ArrayList<>();
                for (Object[] row : rows) {
                    Instant lastReport = instant(row[2]);
                    leases.add(new RunAdmission.LeasesGrantedElsewhere(
                            (String) row[0],
                            ((Number) row[1]).doubleValue(),
                            lastReport.plus(period.multipliedBy(2)).plus(leaseDuration)));
                }
                return leases;
            });
        } catch (RuntimeException e) {
            LOG.debugf("could not read the stopped replicas' wants of run %s: %s", runId, e.getMessage());
            return List.of();
        }
    }

    private static Instant instant(Object timestamp) {
        if (timestamp instanceof Instant i) {
            return i;
        }
        if (timestamp instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        return ((java.sql.Timestamp) timestamp).toInstant();
    }

    @Override
    public Map<String, Double> wantedPerSecond(String runId) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                Map<String, Double> wanted = new HashMap<>();
                @SuppressWarnings("unchecked")
                List<Object[]> rows = em.createNativeQuery("SELECT service, sum(wanted_per_second) FROM service_want "
                                + "WHERE run_id = ?1 AND reported_at >= ?2 GROUP BY service")
                        .setParameter(1, runId)
                        .setParameter(2, clock.instant().minus(Replicas.LIVENESS))
                        .getResultList();
                for (Object[] row : rows) {
                    wanted.put((String) row[0], ((Number) row[1]).doubleValue());
                }
                return wanted;
            });
        } catch (RuntimeException e) {
            LOG.debugf("could not read service wants of run %s: %s", runId, e.getMessage());
            return Map.of();
        }
    }
}
