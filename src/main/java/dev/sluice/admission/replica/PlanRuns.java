package dev.sluice.admission.replica;

import dev.sluice.admission.RetryAfter;
import dev.sluice.control.RunStatus;
import dev.sluice.control.run.RunCommitted;
import dev.sluice.control.store.RunStore;
import dev.sluice.control.store.StoredRun;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.PlanCompiler;
import dev.sluice.plan.store.PlanStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.jboss.logging.Logger;

/**
 * Which run a plan's per-plan admission address answers for: the plan's latest run. Resolved from
 * the database at most once per refresh period per plan (so the per-plan address costs what the
 * run's own address costs), at once from this replica's own commits (a run started or completed
 * here), and kept when the database cannot be read (fail static, as allocations are).
 */
@ApplicationScoped
public class PlanRuns {
    private static final Logger LOG = Logger.getLogger(PlanRuns.class);

    @Inject
    Clock clock;

    @Inject
    RunStore runs;

    @Inject
    PlanStore plans;

    @Inject
    AdmissionSettings settings;

    /**
     * What a plan's address answers for.
     *
     * @param runId the plan's latest run, or null when it never had one
     * @param status that run's status (null without a run)
     * @param plan the plan as that run runs it, or the plan as stored when there is no run
     * @param resolvedAt when this was read
     */
    public record Latest(String runId, RunStatus status, CompiledPlan plan, Instant resolvedAt) {
        /** Whether the latest run completed: the tier is restored and admission no longer restricted. */
        public boolean completed() {
            return status == RunStatus.COMPLETED;
        }

        /**
         * Whether this run restricts admission: it exists and has not completed (an aborted run keeps
         * its floor, as at its own address).
         */
        public boolean restricting() {
            return runId != null && !completed();
        }

        /**
         * When to come back while no run restricts and the plan's {@code admission.whenNoRun} is
         * closed: uniformly over the plan's {@code retryAfterSeconds}, so waiting clients do not
         * return together when an operator starts the run.
         */
        public RetryAfter noRunRetry(RandomGenerator random) {
            long spreadNanos = plan.policy().retryAfterSeconds() * 1_000_000_000L;
            return RetryAfter.of(0, spreadNanos, random);
        }
    }

    private final Map<String, Latest> byPlan = new ConcurrentHashMap<>();

    /** Whether {@link #latest} can answer from memory (no database read): the HTTP layer stays on the event loop. */
    public boolean knownNow(String planName) {
        Latest known = byPlan.get(planName);
        return known != null && fresh(known);
    }

    /** The plan's latest run ({@code DomainException} not-found for an unknown plan). */
    public Latest latest(String planName) {
        Latest known = byPlan.get(planName);
        if (known != null && fresh(known)) {
            return known;
        }
        Latest read;
        try {
            read = read(planName);
        } catch (RuntimeException e) {
            if (known == null || e instanceof dev.sluice.domain.DomainException) {
                throw e;
            }
            LOG.debugf("could not read plan %s's latest run; keeping the last known: %s", planName, e.getMessage());
            return known;
        }
        byPlan.put(planName, read);
        return read;
    }

    private Latest read(String planName) {
        Instant now = clock.instant();
        List<StoredRun> latest = runs.list(planName, 1);
        if (!latest.isEmpty()) {
            StoredRun run = latest.get(0);
            return new Latest(run.id(), run.state().status(), run.plan(), now);
        }
        CompiledPlan plan = PlanCompiler.compileStored(plans.get(planName).spec()); // not found when unknown
        return new Latest(null, null, plan, now);
    }

    private boolean fresh(Latest known) {
        return !known.resolvedAt().plus(settings.refreshPeriod()).isBefore(clock.instant());
    }

    /** A run started, advanced or ended on this replica reaches its plan's address at once. */
    void onCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) RunCommitted event) {
        StoredRun run = event.run();
        byPlan.compute(run.planName(), (name, known) -> {
            if (known != null
                    && known.runId() != null
                    && !known.runId().equals(run.id())
                    && !run.state().status().isActive()
                    && known.status() != null
                    && known.status().isActive()) {
                return known; // an older run's late commit does not displace the newer active one
            }
            return new Latest(run.id(), run.state().status(), run.plan(), clock.instant());
        });
    }
}
