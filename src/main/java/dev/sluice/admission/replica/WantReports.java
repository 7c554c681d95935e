package dev.sluice.admission.replica;

import dev.sluice.admission.RunAdmission;
import dev.sluice.control.ServiceWants;
import dev.sluice.runtime.BackgroundWork;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
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
    /** How long a lease answer waits for its record (see {@link #recordLeaseRaise}). */
    static final Duration LEASE_RECORD_WAIT = Duration.ofMillis(250);

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

    /** Lease records, one at a time so a hung database holds one worker, not one per lease. */
    private Executor leaseRecords;

    private final Map<String, LeasedWritten> leasedWritten = new ConcurrentHashMap<>();

    @PostConstruct
    void createLeaseRecords() {
        leaseRecords = work.serial("lease records");
    }

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
        // Taken before the lease books are read: a lease granted after this instant may be missing
        // from the report, so a record of it made at a later instant is not overwritten by it.
        Instant now = clock.instant();
        List<RunAdmission.Want> wants = admission.measureWants();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                for (RunAdmission.Want w : wants) {
                    upsert(w.runId(), w.service(), w.wantedPerSecond(), w.leasedPerSecond(), now, true);
                }
                // Kept past their freshness for as long as a lease may live: a restarted process
                // reads its predecessor's last reports (leasesGrantedElsewhere).
                em.createNativeQuery("DELETE FROM service_want WHERE reported_at < ?1")
                        .setParameter(1, now.minus(RETENTION))
                        .executeUpdate();
            });
            for (RunAdmission.Want w : wants) {
                leasedWritten.merge(
                        w.runId() + "/" + w.service(),
                        new LeasedWritten(w.leasedPerSecond(), now),
                        LeasedWritten::newer);
            }
            // Runs this replica no longer admits for: their rows are deleted by now too.
            leasedWritten.values().removeIf(w -> w.at().isBefore(now.minus(RETENTION)));
        } catch (RuntimeException e) {
            LOG.debugf("could not report service wants: %s", e.getMessage());
        }
    }

    /**
     * Writes, before a lease is answered, what this replica's leases of a service hold once the lease
     * raised it above what was last written: a process killed right after granting it leaves its
     * successor a record of it (the periodic report alone would miss up to one report period's
     * grants, e.g. every client's larger lease just after a stage change). Lowering waits for the
     * next report. Waits at most {@link #LEASE_RECORD_WAIT}: with the database slow or away the lease
     * is answered all the same (fail static), and a successor started before the record lands may
     * give permits up to what the raise added, for at most one lease length.
     *
     * @param leasedNow what the service's live leases on this replica hold, read after the grant
     */
    public void recordLeaseRaise(String runId, String service, DoubleSupplier leasedNow) {
        Instant at = clock.instant();
        double leased = leasedNow.getAsDouble();
        String key = runId + "/" + service;
        LeasedWritten written = leasedWritten.get(key);
        if (written != null && leased <= written.leasedPerSecond() + 1e-9) {
            return;
        }
        CompletableFuture<Void> record = CompletableFuture.runAsync(
                () -> {
                    QuarkusTransaction.requiringNew().run(() -> upsert(runId, service, 0, leased, at, false));
                    leasedWritten.merge(key, new LeasedWritten(leased, at), LeasedWritten::newer);
                },
                leaseRecords);
        try {
            record.get(LEASE_RECORD_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.debugf("lease of %s not recorded within %s; answered all the same", key, LEASE_RECORD_WAIT);
        } catch (ExecutionException e) {
            LOG.debugf("could not record the lease of %s: %s", key, e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One row per run, replica and service. The leased rate of the newer of two writes wins (a
     * report and a lease record may land out of order); a lease record leaves the wanted rate as it
     * was.
     */
    private void upsert(String runId, String service, double wanted, double leased, Instant at, boolean writesWanted) {
        em.createNativeQuery("INSERT INTO service_want (run_id, replica_id, service, wanted_per_second, "
                        + "leased_per_second, reported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                        + "ON CONFLICT (run_id, replica_id, service) DO UPDATE SET "
                        + (writesWanted ? "wanted_per_second = EXCLUDED.wanted_per_second, " : "")
                        + "leased_per_second = CASE WHEN service_want.reported_at <= EXCLUDED.reported_at "
                        + "THEN EXCLUDED.leased_per_second ELSE service_want.leased_per_second END, "
                        + "reported_at = GREATEST(service_want.reported_at, EXCLUDED.reported_at)")
                .setParameter(1, runId)
                .setParameter(2, replicas.id())
                .setParameter(3, service)
                .setParameter(4, wanted)
                .setParameter(5, leased)
                .setParameter(6, at)
                .executeUpdate();
    }

    /** What was last written of a service's leased rate on this replica, and as of when. */
    private record LeasedWritten(double leasedPerSecond, Instant at) {
        static LeasedWritten newer(LeasedWritten a, LeasedWritten b) {
            return b.at().isBefore(a.at()) ? a : b;
        }
    }

    /**
     * The leases of a run that replicas which stopped reporting — this process's predecessor on a
     * restart, a replica that died — may have granted and their clients may still enforce: per
     * service, what those replicas' lease books held at their last report, until a lease granted
     * just after it would have ended. (A lease that raised the leased rate after that report was
     * recorded before it was answered, {@link #recordLeaseRaise}, unless the database was too slow to
     * take it.) A replica still reporting holds its own leases
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
