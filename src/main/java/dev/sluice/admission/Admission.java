package dev.sluice.admission;

import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.control.RunCommitted;
import dev.sluice.control.RunService;
import dev.sluice.control.RunState;
import dev.sluice.control.ServiceStatus;
import dev.sluice.plan.AdmissionMode;
import dev.sluice.plan.DependencyGraph;
import dev.sluice.plan.RestorePlan;
import dev.sluice.plan.Service;
import dev.sluice.plan.Stage;
import io.agroal.api.AgroalDataSource;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Admission on this replica: per run and service, a bucket refilled at the service's share of its
 * allocation, and the service's rate leases. Allocations come from the runs' committed states — at
 * once from this replica's own commits, and every refresh period from the database for the
 * others'. If the database cannot be read, the last allocations stay in force (fail static).
 */
@ApplicationScoped
public class Admission {
    private static final Logger LOG = Logger.getLogger(Admission.class);
    /** Runs nobody asked about for this long are dropped from memory. */
    private static final Duration IDLE = Duration.ofMinutes(10);

    @Inject
    Clock clock;

    @Inject
    RunService runs;

    @Inject
    Replicas replicas;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry metrics;

    @ConfigProperty(name = "sluice.admission.refresh-enabled", defaultValue = "true")
    boolean refreshEnabled;

    private final Map<String, RunAdmission> byRun = new ConcurrentHashMap<>();
    private volatile ProxyManager<Long> sharedBuckets;

    /** What this replica knows of one run. */
    final class RunAdmission {
        final String runId;
        final String planName;
        final RestorePlan plan;
        final Map<String, ServiceAdmission> services = new ConcurrentHashMap<>();
        volatile String stage;
        volatile String status;
        volatile double burstSeconds;
        volatile Instant lastUsed;
        Instant measuredAt;

        RunAdmission(RunService.LoadedRun run) {
            this.runId = run.id();
            this.planName = run.planName();
            this.plan = run.plan();
            boolean exact = plan.admission().mode() == AdmissionMode.EXACT;
            for (Service s : plan.services()) {
                services.put(
                        s.name(), new ServiceAdmission(s.name(), limit -> newBucket(runId, s.name(), exact, limit)));
            }
            lastUsed = clock.instant();
            measuredAt = lastUsed;
        }

        synchronized void apply(RunService.LoadedRun run) {
            RunState state = run.state();
            Stage current = plan.stages().get(state.stage());
            stage = current.name();
            status = state.status().wireName();
            burstSeconds = current.burstSeconds();
            boolean exact = plan.admission().mode() == AdmissionMode.EXACT;
            int share = exact ? 1 : replicas.live();
            Instant now = clock.instant();
            DependencyGraph graph = DependencyGraph.of(plan.services());
            state.services().forEach((name, s) -> {
                ServiceAdmission svc = services.get(name);
                svc.allocate(
                        s.status() == ServiceStatus.BLOCKED && s.allocationPerSecond() <= 0,
                        graph.dependenciesOf(name).stream()
                                .filter(d -> state.services().get(d).status() != ServiceStatus.RESTORED)
                                .toList(),
                        s.allocationPerSecond() / share,
                        exact ? 0 : svc.leases.leasedPerSecond(now),
                        burstSeconds);
            });
        }
    }

    /**
     * Whether requests for this run can be answered without any I/O: the run is known here and
     * admits locally. Then the HTTP layer answers them on the event loop.
     */
    public boolean answersInMemory(String runId) {
        RunAdmission run = byRun.get(runId);
        return run != null && run.plan.admission().mode() == AdmissionMode.LOCAL_SHARE;
    }

    /** The plan a run runs (404 problem for an unknown run). */
    public String planOf(String runId) {
        return run(runId).planName;
    }

    /** Permits for {@code count} requests of a service of a run. */
    public AdmissionOutcome acquire(String runId, String service, long count) {
        RunAdmission run = run(runId);
        ServiceAdmission svc = service(run, service);
        run.lastUsed = clock.instant();
        ConsumptionProbe probe;
        try {
            probe = svc.admit(count);
        } catch (ServiceAdmission.TooManyAtOnceException e) {
            throw ProblemException.invalidField(
                    "/count",
                    "max-burst",
                    "asks for " + count + " permits at once, more than the service's burst of " + e.burst
                            + "; ask for fewer at a time");
        }
        if (probe == null) {
            return refuse(
                    run,
                    svc,
                    svc.blocked ? AdmissionOutcome.Reason.BLOCKED : AdmissionOutcome.Reason.NO_ALLOCATION,
                    count,
                    tickWaitNanos(run));
        }
        if (!probe.isConsumed()) {
            return refuse(run, svc, AdmissionOutcome.Reason.OVER_RATE, count, probe.getNanosToWaitForRefill());
        }
        RateLimit limit = svc.limit;
        count(run, svc, AdmissionOutcome.Reason.GRANTED).increment(count);
        return new AdmissionOutcome(
                true,
                AdmissionOutcome.Reason.GRANTED,
                count,
                probe.getRemainingTokens(),
                limit.ratePerSecond(),
                0,
                List.of(),
                run.stage,
                run.status);
    }

    /** A rate lease for a client of a service (local-share plans only). */
    public LeaseBook.Grant lease(String runId, String service, String clientId, double wantPerSecond) {
        RunAdmission run = run(runId);
        ServiceAdmission svc = service(run, service);
        if (run.plan.admission().mode() == AdmissionMode.EXACT) {
            throw new ProblemException(Problem.of(
                    409,
                    "leases-unavailable",
                    "Conflict",
                    "plan " + run.planName + " admits in exact mode: one shared bucket in PostgreSQL, permits only;"
                            + " leases need mode local-share"));
        }
        Instant now = clock.instant();
        run.lastUsed = now;
        LeaseBook.Grant grant = svc.leases.grant(
                clientId,
                wantPerSecond,
                leasableShare(svc),
                run.burstSeconds,
                Duration.ofSeconds(run.plan.admission().leaseSeconds()),
                now);
        permitsGetWhatLeasesLeave(run, svc, now);
        return grant;
    }

    public boolean release(String runId, String service, String clientId) {
        RunAdmission run = run(runId);
        ServiceAdmission svc = service(run, service);
        boolean released = svc.leases.release(clientId);
        if (released) {
            permitsGetWhatLeasesLeave(run, svc, clock.instant());
        }
        return released;
    }

    private static double leasableShare(ServiceAdmission svc) {
        return svc.blocked ? 0 : svc.allocationPerSecond;
    }

    /** A service's permit bucket runs at its share minus what its leases hold. */
    private static void permitsGetWhatLeasesLeave(RunAdmission run, ServiceAdmission svc, Instant now) {
        svc.apply(RateLimit.of(Math.max(0, leasableShare(svc) - svc.leases.leasedPerSecond(now)), run.burstSeconds));
    }

    /** This replica's own commits reach its buckets at once. */
    void onCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) RunCommitted event) {
        RunAdmission run = byRun.get(event.run().id());
        if (run != null) {
            run.apply(event.run());
        }
    }

    /** Picks up other replicas' commits (the leader's) and forgets idle runs. */
    @Scheduled(
            every = "${sluice.admission.refresh-period:250ms}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshAll() {
        if (refreshEnabled) {
            refresh();
        }
    }

    public void refresh() {
        Instant idleSince = clock.instant().minus(IDLE);
        for (RunAdmission run : byRun.values()) {
            if (run.lastUsed.isBefore(idleSince)) {
                byRun.remove(run.runId);
                continue;
            }
            try {
                run.apply(runs.get(run.runId));
            } catch (RuntimeException e) {
                LOG.debugf("could not refresh run %s; keeping its last allocations: %s", run.runId, e.getMessage());
            }
        }
    }

    /** What one service of one run wanted on this replica lately, requests/s. */
    public record Want(String runId, String service, double wantedPerSecond) {}

    /**
     * Per run and service, what its clients wanted on this replica since the previous call: permits
     * asked per second (granted or refused) plus the rates their leases want.
     */
    public synchronized List<Want> measureWants() {
        Instant now = clock.instant();
        List<Want> wants = new java.util.ArrayList<>();
        for (RunAdmission run : byRun.values()) {
            double elapsed = Duration.between(run.measuredAt, now).toNanos() / 1e9;
            if (elapsed <= 0) {
                continue; // no time has passed: no rate to tell
            }
            run.measuredAt = now;
            run.services
                    .values()
                    .forEach(svc -> wants.add(new Want(run.runId, svc.name, svc.wantedPerSecond(elapsed, now))));
        }
        return wants;
    }

    /** Live leases and leased rate of a service on this replica (status and metrics). */
    public Map<String, Object> leaseStats(String runId, String service) {
        ServiceAdmission svc = service(run(runId), service);
        Instant now = clock.instant();
        return Map.of(
                "liveLeases",
                svc.leases.live(now),
                "leasedPerSecond",
                svc.leases.leasedPerSecond(now),
                "sharePerSecond",
                svc.allocationPerSecond);
    }

    private RunAdmission run(String runId) {
        RunAdmission known = byRun.get(runId);
        if (known != null) {
            return known;
        }
        RunService.LoadedRun loaded = runs.get(runId); // 404 problem when unknown
        return byRun.computeIfAbsent(runId, id -> {
            RunAdmission run = new RunAdmission(loaded);
            run.apply(loaded);
            registerGauges(run);
            return run;
        });
    }

    private static ServiceAdmission service(RunAdmission run, String service) {
        ServiceAdmission svc = run.services.get(service);
        if (svc == null) {
            throw ProblemException.notFound("plan " + run.planName + " has no service \"" + service + "\"");
        }
        return svc;
    }

    private AdmissionOutcome refuse(
            RunAdmission run, ServiceAdmission svc, AdmissionOutcome.Reason reason, long count, long waitNanos) {
        count(run, svc, reason).increment(count);
        long spreadNanos =
                Duration.ofSeconds(run.plan.policy().retryAfterSeconds()).toNanos();
        long retryMillis = RetryAfter.millis(waitNanos, spreadNanos, ThreadLocalRandom.current());
        return new AdmissionOutcome(
                false,
                reason,
                count,
                0,
                svc.limit.ratePerSecond(),
                retryMillis,
                reason == AdmissionOutcome.Reason.BLOCKED ? svc.blockedBy : List.of(),
                run.stage,
                run.status);
    }

    /** A blocked or unallocated service may open at the next tick: come back around then. */
    private static long tickWaitNanos(RunAdmission run) {
        return Duration.ofMillis(run.plan.policy().tickIntervalMillis()).toNanos();
    }

    /** The service's counter for an outcome, registered on first use (no allocation per request after). */
    private Counter count(RunAdmission run, ServiceAdmission svc, AdmissionOutcome.Reason reason) {
        return svc.counters.computeIfAbsent(
                reason,
                r -> Counter.builder("sluice.admission.permits")
                        .tags(
                                "plan",
                                run.planName,
                                "service",
                                svc.name,
                                "outcome",
                                r == AdmissionOutcome.Reason.GRANTED ? "granted" : "rejected",
                                "reason",
                                r.wireName())
                        .register(metrics));
    }

    private void registerGauges(RunAdmission run) {
        for (ServiceAdmission svc : run.services.values()) {
            String[] tags = {"plan", run.planName, "run", run.runId, "service", svc.name};
            io.micrometer.core.instrument.Gauge.builder(
                            "sluice.admission.leases.live", svc, s -> s.leases.live(clock.instant()))
                    .tags(tags)
                    .register(metrics);
            io.micrometer.core.instrument.Gauge.builder(
                            "sluice.admission.leased.per.second", svc, s -> s.leases.leasedPerSecond(clock.instant()))
                    .tags(tags)
                    .register(metrics);
            io.micrometer.core.instrument.Gauge.builder(
                            "sluice.admission.share.per.second", svc, s -> s.allocationPerSecond)
                    .tags(tags)
                    .register(metrics);
        }
    }

    private PermitBucket newBucket(String runId, String service, boolean exact, RateLimit limit) {
        if (!exact) {
            return new LocalPermitBucket(limit, new ClockTimeMeter(clock));
        }
        return new SharedPermitBucket(sharedBuckets(), runId + "/" + service, limit);
    }

    private ProxyManager<Long> sharedBuckets() {
        if (sharedBuckets == null) {
            synchronized (this) {
                if (sharedBuckets == null) {
                    sharedBuckets = Bucket4jPostgreSQL.advisoryLockBasedBuilder(dataSource)
                            .clientClock(new ClockTimeMeter(clock))
                            .build();
                }
            }
        }
        return sharedBuckets;
    }
}
