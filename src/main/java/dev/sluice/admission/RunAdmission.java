package dev.sluice.admission;

import dev.sluice.admission.AdmissionOutcome.Reason;
import dev.sluice.control.Ramp;
import dev.sluice.control.RunState;
import dev.sluice.domain.DomainException;
import dev.sluice.plan.AdmissionMode;
import dev.sluice.plan.CompiledPlan;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.random.RandomGenerator;

/**
 * What one replica admits for one run: a {@link ServiceAdmission} per service of the plan, set from
 * the run's committed states. Plain Java, so the server and the simulator answer permits with the
 * same code. Thread-safe: {@link #apply} is serialised, the permit path reads volatile fields.
 */
public final class RunAdmission {
    /** Creates a service's bucket the first time it opens. */
    public interface BucketFactory {
        PermitBucket create(String service, RateLimit limit);
    }

    /** Where the permits a service answers with an outcome are counted (metrics). */
    public interface OutcomeCounters {
        LongConsumer counter(String service, Reason outcome);

        OutcomeCounters NONE = (service, outcome) -> permits -> {};
    }

    private final String runId;
    private final String planName;
    private final CompiledPlan plan;
    private final Map<String, ServiceAdmission> services = new LinkedHashMap<>();
    /** Lent in local-share mode only: exact mode's per-service limits are exact across replicas. */
    private final SpareBudget spare;

    private volatile String stage;
    private volatile String status;
    private volatile double burstSeconds;
    private Instant measuredAt;
    private volatile Instant lastUsed;

    public RunAdmission(
            String runId,
            String planName,
            CompiledPlan plan,
            BucketFactory buckets,
            OutcomeCounters counters,
            TimeMeter time,
            Instant now) {
        this.runId = runId;
        this.planName = planName;
        this.plan = plan;
        this.spare = plan.admission().mode() == AdmissionMode.EXACT ? null : new SpareBudget(time);
        for (CompiledPlan.Service s : plan.services()) {
            services.put(
                    s.name(),
                    new ServiceAdmission(
                            s.name(),
                            limit -> buckets.create(s.name(), limit),
                            outcome -> counters.counter(s.name(), outcome),
                            spare,
                            this::savedTokens));
        }
        this.measuredAt = now;
        this.lastUsed = now;
    }

    /** Notes a request for this run at {@code now} (one volatile write: it is on the permit path). */
    public void touch(Instant now) {
        lastUsed = now;
    }

    /** When a client last asked about this run on this replica. */
    public Instant lastUsed() {
        return lastUsed;
    }

    public String runId() {
        return runId;
    }

    public String planName() {
        return planName;
    }

    public CompiledPlan plan() {
        return plan;
    }

    /** Whether every service admits from this replica's memory (no shared bucket in the database). */
    public boolean exact() {
        return plan.admission().mode() == AdmissionMode.EXACT;
    }

    /**
     * Applies a committed state: each service's share of its allocation on this replica.
     *
     * @param liveReplicas replicas serving admission now; they divide local-share allocations
     */
    public synchronized void apply(RunState state, int liveReplicas, Instant now) {
        var current = plan.stages().get(state.stage());
        stage = current.name();
        status = state.status().wireName();
        burstSeconds = Ramp.burstSeconds(plan, state);
        ServiceLimit.of(plan.graph(), state, burstSeconds, exact() ? 1 : liveReplicas)
                .forEach((name, limit) -> services.get(name).allocate(limit, now));
        resizeSpare();
    }

    /**
     * Leases of a service that another process granted and this one has not heard of: at most
     * {@code perSecond}, alive until {@code until} at the latest.
     */
    public record LeasesGrantedElsewhere(String service, double perSecond, Instant until) {}

    /**
     * Leaves room for leases other processes granted (see {@link
     * ServiceAdmission#leaveRoomForLeasesGrantedElsewhere}); services the plan does not have are
     * ignored.
     */
    public synchronized void leaveRoomForLeasesGrantedElsewhere(List<LeasesGrantedElsewhere> leases, Instant now) {
        for (LeasesGrantedElsewhere l : leases) {
            ServiceAdmission svc = services.get(l.service());
            if (svc != null) {
                svc.leaveRoomForLeasesGrantedElsewhere(l.perSecond(), l.until(), now);
            }
        }
        resizeSpare();
    }

    /** What the services' own buckets hold together: not spare, their owners may still spend it. */
    private long savedTokens() {
        long saved = 0;
        for (ServiceAdmission svc : services.values()) {
            saved += svc.savedTokens();
        }
        return saved;
    }

    /** The spare budget refills at what the services' permit buckets refill at together. */
    private synchronized void resizeSpare() {
        if (spare == null) {
            return;
        }
        double permitRate = 0;
        for (ServiceAdmission svc : services.values()) {
            permitRate += svc.permitLimit().ratePerSecond();
        }
        spare.reconfigure(RateLimit.of(permitRate, 2 * burstSeconds));
    }

    /**
     * Permits for {@code count} requests of a service. A refusal says when to come back: never
     * earlier than the bucket could grant them, spread by {@code random} over the plan's
     * {@code retryAfterSeconds} so refused clients do not return together.
     *
     * @throws DomainException for an unknown service, or more permits at once than the burst
     */
    public AdmissionOutcome acquire(String service, long count, RandomGenerator random) {
        return acquire(service, count, null, null, random);
    }

    /**
     * The same, for a client that names itself and may state what it wants ({@link StatedWant}); a
     * statement lives as long as a lease would ({@code admission.leaseSeconds}).
     *
     * @param want null when the client names nothing
     */
    public AdmissionOutcome acquire(String service, long count, StatedWant want, Instant now, RandomGenerator random) {
        ServiceAdmission svc = service(service);
        ServiceAdmission.Answer answer;
        try {
            answer = want == null
                    ? svc.admit(count)
                    : svc.admit(
                            count, want, now, now.plusSeconds(plan.admission().leaseSeconds()));
        } catch (ServiceAdmission.TooManyAtOnceException e) {
            throw DomainException.invalidField(
                    "/count",
                    "max-burst",
                    "asks for " + count + " permits at once, more than the service's burst of " + e.burst()
                            + "; ask for fewer at a time");
        }
        RateLimit limit = svc.permitLimit();
        if (answer instanceof ServiceAdmission.Granted granted) {
            return new AdmissionOutcome(
                    true,
                    Reason.GRANTED,
                    count,
                    granted.remaining(),
                    limit.ratePerSecond(),
                    limit.burstTokens(),
                    0,
                    0,
                    List.of(),
                    stage,
                    status);
        }
        ServiceAdmission.Refused refused = (ServiceAdmission.Refused) answer;
        // A blocked or unallocated service may open at the next tick: come back around then.
        long waitNanos = refused.reason() == Reason.OVER_RATE
                ? refused.waitNanos()
                : Duration.ofMillis(plan.policy().tickIntervalMillis()).toNanos();
        long spreadNanos = Duration.ofSeconds(plan.policy().retryAfterSeconds()).toNanos();
        RetryAfter retry = RetryAfter.of(waitNanos, spreadNanos, random);
        return new AdmissionOutcome(
                false,
                refused.reason(),
                count,
                refused.remaining(),
                limit.ratePerSecond(),
                limit.burstTokens(),
                retry.millis(),
                retry.seconds(),
                refused.reason() == Reason.BLOCKED ? svc.blockedBy() : List.of(),
                stage,
                status);
    }

    /** A rate lease for a client of a service (local-share plans only). */
    public LeaseBook.Grant lease(String service, String clientId, double wantPerSecond, Instant now) {
        ServiceAdmission svc = service(service);
        if (exact()) {
            throw new DomainException(
                    DomainException.Fault.LEASES_UNAVAILABLE,
                    "plan " + planName + " admits in exact mode: one shared bucket (PostgreSQL or Redis), permits only;"
                            + " leases need mode local-share");
        }
        LeaseBook.Grant grant = svc.lease(
                clientId, wantPerSecond, Duration.ofSeconds(plan.admission().leaseSeconds()), now);
        resizeSpare();
        return grant;
    }

    /** Gives a lease back; false when the client held none. */
    public boolean release(String service, String clientId, Instant now) {
        boolean released = service(service).release(clientId, now);
        resizeSpare();
        return released;
    }

    /** What one service wanted on this replica lately, requests/s. */
    /**
     * @param leasedPerSecond what this process's live leases of the service hold now (a restarted
     *     successor leaves room for them)
     */
    public record Want(String runId, String service, double wantedPerSecond, double leasedPerSecond) {}

    /**
     * Per service, what its clients wanted since the previous call: permits asked per second
     * (granted or refused) by clients that state no rate, plus what clients stated with their permit
     * requests and what their leases want, as they are now. Nothing when no time has passed.
     */
    public synchronized List<Want> measureWants(Instant now) {
        List<Want> wants = new ArrayList<>();
        double elapsed = Duration.between(measuredAt, now).toNanos() / 1e9;
        if (elapsed <= 0) {
            return wants;
        }
        measuredAt = now;
        services.values()
                .forEach(svc -> wants.add(
                        new Want(runId, svc.name(), svc.wantedPerSecond(elapsed, now), svc.leasedPerSecond(now))));
        return wants;
    }

    /** @throws DomainException when the plan has no such service */
    public ServiceAdmission service(String service) {
        ServiceAdmission svc = services.get(service);
        if (svc == null) {
            throw DomainException.notFound("plan " + planName + " has no service \"" + service + "\"");
        }
        return svc;
    }

    public Iterable<ServiceAdmission> services() {
        return services.values();
    }
}
