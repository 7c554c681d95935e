package dev.sluice.admission.replica;

import dev.sluice.admission.AdmissionOutcome;
import dev.sluice.admission.ClockTimeMeter;
import dev.sluice.admission.LeaseBook;
import dev.sluice.admission.LocalPermitBucket;
import dev.sluice.admission.RunAdmission;
import dev.sluice.admission.ServiceAdmission;
import dev.sluice.admission.StatedWant;
import dev.sluice.control.run.RunCommitted;
import dev.sluice.control.store.RunStore;
import dev.sluice.control.store.StoredRun;
import dev.sluice.runtime.BackgroundWork;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * The runs this replica admits for, each a {@link RunAdmission} kept in step with the run's
 * committed state: at once from this replica's own commits, and every refresh period from the
 * database for the others' (the leader's). If the database cannot be read, the last allocations
 * stay in force (fail static). The admission decisions themselves are {@link RunAdmission}'s.
 */
@ApplicationScoped
public class AdmissionRegistry {
    private static final Logger LOG = Logger.getLogger(AdmissionRegistry.class);
    /** Runs nobody asked about for this long are dropped from memory. */
    private static final Duration IDLE = Duration.ofMinutes(10);

    @Inject
    Clock clock;

    @Inject
    RunStore runs;

    @Inject
    Replicas replicas;

    @Inject
    SharedBuckets sharedBuckets;

    @Inject
    RedisBuckets redisBuckets;

    @Inject
    MeterRegistry metrics;

    @Inject
    AdmissionSettings settings;

    @Inject
    BackgroundWork work;

    @Inject
    WantReports wantReports;

    private BackgroundWork.Periodic refreshes;

    private final Map<String, RunAdmission> byRun = new ConcurrentHashMap<>();

    /**
     * Whether requests for this run can be answered without any I/O: the run is known here and
     * admits locally. Then the HTTP layer answers them on the event loop.
     */
    public boolean answersInMemory(String runId) {
        RunAdmission run = byRun.get(runId);
        return run != null && !run.exact();
    }

    /** The plan a run runs ({@code DomainException} not-found for an unknown run). */
    public String planOf(String runId) {
        return run(runId).planName();
    }

    /** The plan as a run runs it ({@code DomainException} not-found for an unknown run). */
    public dev.sluice.plan.CompiledPlan planOfRun(String runId) {
        return run(runId).plan();
    }

    /** Permits for {@code count} requests of a service of a run. */
    public AdmissionOutcome acquire(String runId, String service, long count) {
        return use(runId).acquire(service, count, ThreadLocalRandom.current());
    }

    /** The same for a client that names itself and may state its want ({@code want} null: it names nothing). */
    public AdmissionOutcome acquire(String runId, String service, long count, StatedWant want) {
        if (want == null) {
            return acquire(runId, service, count);
        }
        return use(runId).acquire(service, count, want, clock.instant(), ThreadLocalRandom.current());
    }

    /**
     * A rate lease for a client of a service (local-share plans only), recorded before it is
     * answered when it raises what this replica's leases hold ({@link WantReports#recordLeaseRaise}):
     * blocking, call it from a worker thread.
     */
    public LeaseBook.Grant lease(String runId, String service, String clientId, double wantPerSecond) {
        RunAdmission run = use(runId);
        LeaseBook.Grant grant = run.lease(service, clientId, wantPerSecond, clock.instant());
        ServiceAdmission leased = run.service(service);
        wantReports.recordLeaseRaise(runId, service, () -> leased.leasedPerSecond(clock.instant()));
        return grant;
    }

    public boolean release(String runId, String service, String clientId) {
        return use(runId).release(service, clientId, clock.instant());
    }

    /** Live leases, leased rate and clients stating wants of a service on this replica (status and metrics). */
    public Map<String, Object> leaseStats(String runId, String service) {
        ServiceAdmission svc = run(runId).service(service);
        Instant now = clock.instant();
        return Map.of(
                "liveLeases",
                svc.liveLeases(now),
                "leasedPerSecond",
                svc.leasedPerSecond(now),
                "sharePerSecond",
                svc.limitOfRun().sharePerSecond(),
                "statedWants",
                svc.statedWants(now));
    }

    /** Per run and service, what its clients wanted on this replica since the previous call. */
    public List<RunAdmission.Want> measureWants() {
        Instant now = clock.instant();
        List<RunAdmission.Want> wants = new ArrayList<>();
        byRun.values().forEach(run -> wants.addAll(run.measureWants(now)));
        return wants;
    }

    /** This replica's own commits reach its buckets at once. */
    void onCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) RunCommitted event) {
        RunAdmission run = byRun.get(event.run().id());
        if (run != null) {
            apply(run, event.run());
        }
    }

    /** Refreshes every refresh period from start-up (unless refreshing is off) until shut-down. */
    void onStart(@Observes StartupEvent event) {
        if (settings.refreshEnabled()) {
            refreshes = work.every("admission refresh", Duration.ZERO, settings.refreshPeriod(), this::refresh);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (refreshes != null) {
            refreshes.stop();
        }
    }

    /** Picks up other replicas' commits (the leader's) and forgets idle runs. */
    public void refresh() {
        Instant idleSince = clock.instant().minus(IDLE);
        for (RunAdmission run : byRun.values()) {
            if (run.lastUsed().isBefore(idleSince)) {
                byRun.remove(run.runId());
                continue;
            }
            try {
                apply(run, runs.get(run.runId()));
            } catch (RuntimeException e) {
                LOG.debugf("could not refresh run %s; keeping its last allocations: %s", run.runId(), e.getMessage());
            }
        }
    }

    private void apply(RunAdmission run, StoredRun loaded) {
        run.apply(loaded.state(), replicas.live(), clock.instant());
    }

    private RunAdmission use(String runId) {
        RunAdmission run = run(runId);
        run.touch(clock.instant());
        return run;
    }

    private RunAdmission run(String runId) {
        RunAdmission known = byRun.get(runId);
        if (known != null) {
            return known;
        }
        StoredRun loaded = runs.get(runId); // not found when unknown
        // A run this process has not admitted for yet may have leases another process granted (a
        // predecessor before a restart): their clients keep them until they end.
        List<RunAdmission.LeasesGrantedElsewhere> leasedElsewhere =
                loaded.plan().admission().mode() == dev.sluice.plan.AdmissionMode.EXACT
                        ? List.of()
                        : wantReports.leasesGrantedElsewhere(
                                runId,
                                Duration.ofSeconds(loaded.plan().admission().leaseSeconds()));
        return byRun.computeIfAbsent(runId, id -> {
            RunAdmission run = new RunAdmission(
                    id,
                    loaded.planName(),
                    loaded.plan(),
                    buckets(id, loaded),
                    (service, reason) -> counter(loaded.planName(), service, reason)::increment,
                    new ClockTimeMeter(clock),
                    clock.instant());
            apply(run, loaded);
            run.leaveRoomForLeasesGrantedElsewhere(leasedElsewhere, clock.instant());
            registerGauges(run);
            return run;
        });
    }

    private RunAdmission.BucketFactory buckets(String runId, StoredRun loaded) {
        boolean exact = loaded.plan().admission().mode() == dev.sluice.plan.AdmissionMode.EXACT;
        boolean redis = settings.exactBackend() == AdmissionSettings.ExactBackend.REDIS;
        return (service, limit) -> !exact
                ? new LocalPermitBucket(limit, new ClockTimeMeter(clock))
                : redis
                        ? redisBuckets.bucket(runId + "/" + service, limit)
                        : sharedBuckets.bucket(runId + "/" + service, limit);
    }

    /** A service's counter for an outcome, found once per run and service (none per request). */
    private Counter counter(String plan, String service, AdmissionOutcome.Reason reason) {
        return Counter.builder("sluice.admission.permits")
                .tags(
                        "plan",
                        plan,
                        "service",
                        service,
                        "outcome",
                        reason == AdmissionOutcome.Reason.GRANTED ? "granted" : "rejected",
                        "reason",
                        reason.wireName())
                .register(metrics);
    }

    private void registerGauges(RunAdmission run) {
        for (ServiceAdmission svc : run.services()) {
            String[] tags = {"plan", run.planName(), "run", run.runId(), "service", svc.name()};
            Gauge.builder("sluice.admission.leases.live", svc, s -> s.liveLeases(clock.instant()))
                    .tags(tags)
                    .register(metrics);
            Gauge.builder("sluice.admission.leased.per.second", svc, s -> s.leasedPerSecond(clock.instant()))
                    .tags(tags)
                    .register(metrics);
            Gauge.builder(
                            "sluice.admission.share.per.second",
                            svc,
                            s -> s.limitOfRun().sharePerSecond())
                    .tags(tags)
                    .register(metrics);
        }
    }
}
