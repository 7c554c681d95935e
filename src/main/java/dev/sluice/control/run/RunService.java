package dev.sluice.control.run;

import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.audit.store.AuditLog;
import dev.sluice.control.Decision;
import dev.sluice.control.IllegalTransitionException;
import dev.sluice.control.OperatorAction;
import dev.sluice.control.Ramp;
import dev.sluice.control.RunState;
import dev.sluice.control.RunStatus;
import dev.sluice.control.ServiceWants;
import dev.sluice.control.Transition;
import dev.sluice.health.GateEvaluator;
import dev.sluice.health.GateReading;
import dev.sluice.health.HealthHistory;
import dev.sluice.health.HealthSample;
import dev.sluice.health.source.HealthSourceReader;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.PlanCodec;
import dev.sluice.plan.PlanCompiler;
import dev.sluice.plan.StoredPlan;
import dev.sluice.plan.store.ActiveRunLookup;
import dev.sluice.plan.store.PlanStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The Quarkus shell around the controller: loads a run, calls the pure core ({@link Ramp},
 * {@link OperatorAction}), and stores the next state together with an audit event per transition in
 * one transaction. Every write locks the run's row, so ticks and operator actions never interleave
 * and none is lost.
 */
@ApplicationScoped
public class RunService implements ActiveRunLookup {
    /** Samples are kept this long: longer than any gate window (see PlanLimits.MAX_WINDOW_SECONDS). */
    private static final Duration HISTORY = Duration.ofSeconds(3_600 + 60);

    @Inject
    ServiceWants serviceWants;

    @Inject
    Clock clock;

    @Inject
    PlanStore plans;

    @Inject
    AuditLog audit;

    @Inject
    HealthSourceReader healthReader;

    @Inject
    RunMetrics metrics;

    @Inject
    jakarta.enterprise.event.Event<RunCommitted> committed;

    private final Map<String, HealthHistory> histories = new ConcurrentHashMap<>();
    /** Per run, its plan compiled once: a run's own copy of its plan never changes. */
    private final Map<String, CompiledPlan> compiledPlans = new ConcurrentHashMap<>();

    /** A run as the API shows it, with the plan it runs. */
    public record LoadedRun(
            String id,
            String planName,
            int planVersion,
            CompiledPlan plan,
            RunState state,
            String startedBy,
            Instant createdAt,
            Instant updatedAt,
            Instant lastTickAt,
            int version) {}

    /** The outcome of a start: the run, and whether this request created it. */
    public record Started(LoadedRun run, boolean created) {}

    @Transactional
    public Started start(String planName, String actor, String reason, String idempotencyKey) {
        if (idempotencyKey != null) {
            Optional<RunEntity> earlier =
                    RunEntity.find("idempotencyKey", idempotencyKey).firstResultOptional();
            if (earlier.isPresent()) {
                if (!earlier.get().planName.equals(planName)) {
                    throw new ProblemException(Problem.of(
                            422,
                            "idempotency-key-reused",
                            "Idempotency key reused",
                            "Idempotency-Key " + idempotencyKey + " already started a run of plan "
                                    + earlier.get().planName + "; use a new key for a different request"));
                }
                return new Started(load(earlier.get()), false);
            }
        }
        StoredPlan stored = plans.get(planName);
        activeRunOf(planName).ifPresent(id -> {
            throw new ProblemException(Problem.of(
                            409,
                            "run-active",
                            "Conflict",
                            "plan " + planName + " already has an active run (" + id + ")")
                    .with("run", id));
        });
        Instant now = clock.instant();
        CompiledPlan plan = PlanCompiler.compileStored(stored.spec());
        Decision start = Ramp.start(plan, now);
        RunEntity e = new RunEntity();
        e.id = UUID.randomUUID().toString();
        e.planName = planName;
        e.planVersion = stored.version();
        e.spec = PlanCodec.toJson(stored.spec());
        e.idempotencyKey = idempotencyKey;
        e.startedBy = actor;
        e.createdAt = now;
        write(e, start.next(), now);
        try {
            e.persistAndFlush();
        } catch (PersistenceException ex) {
            throw new ProblemException(Problem.of(
                    409,
                    "run-active",
                    "Conflict",
                    "plan " + planName + " already has an active run, or this Idempotency-Key was just used"));
        }
        record(e, plan, start, actor, reason, Map.of(), now);
        RunEntity.flush();
        LoadedRun run = load(e, plan);
        committed.fire(new RunCommitted(run));
        return new Started(run, true);
    }

    @Transactional
    public LoadedRun get(String runId) {
        return load(find(runId));
    }

    @Transactional
    public List<LoadedRun> list(String planName, int limit) {
        return (planName == null
                        ? RunEntity.<RunEntity>findAll(Sort.descending("createdAt"))
                        : RunEntity.<RunEntity>find("planName", Sort.descending("createdAt"), planName))
                .page(0, limit).stream().map(this::load).toList();
    }

    @Override
    @Transactional
    public Optional<String> activeRunOf(String planName) {
        return RunEntity.<RunEntity>find("planName = ?1 and status in ('running', 'paused')", planName)
                .firstResultOptional()
                .map(r -> r.id);
    }

    /** Ids of runs the loop must tick: running ones, and paused ones (their overrides still expire). */
    @Transactional
    public List<String> activeRunIds() {
        return RunEntity.<RunEntity>find("status in ('running', 'paused')").stream()
                .map(r -> r.id)
                .toList();
    }

    /**
     * Applies an operator action. {@code expectedVersion}, when given (If-Match), must be the run's
     * current version: a client acting on a stale view gets 412 instead of a surprise.
     */
    @Transactional
    public LoadedRun act(
            String runId,
            Integer expectedVersion,
            String actor,
            String reason,
            Function<ActionContext, Decision> action) {
        RunEntity e = RunEntity.findById(runId, LockModeType.PESSIMISTIC_WRITE);
        if (e == null) {
            throw notFound(runId);
        }
        if (expectedVersion != null && expectedVersion != e.lockVersion) {
            throw new ProblemException(Problem.of(
                            412,
                            "stale-version",
                            "Precondition failed",
                            "run " + runId + " is at version " + e.lockVersion + ", not " + expectedVersion
                                    + "; read it again")
                    .with("currentVersion", e.lockVersion));
        }
        Instant now = clock.instant();
        CompiledPlan plan = compiled(e);
        Decision decision;
        try {
            decision = action.apply(new ActionContext(plan, RunStateCodec.read(e.state), now));
        } catch (IllegalTransitionException ex) {
            throw new ProblemException(Problem.of(409, "illegal-transition", "Conflict", ex.getMessage())
                    .with("runStatus", e.status));
        }
        write(e, decision.next(), now);
        record(e, plan, decision, actor, null, Map.of(), now);
        RunEntity.flush();
        LoadedRun run = load(e, plan);
        committed.fire(new RunCommitted(run));
        return run;
    }

    /** What an operator action sees. */
    public record ActionContext(CompiledPlan plan, RunState state, Instant now) {}

    /**
     * One tick of one run: read its health (outside any transaction: it is I/O with timeouts), then
     * decide and store under the row lock. Returns false when the run was not due.
     */
    public boolean tick(String runId) {
        RunEntity snapshot = QuarkusTransaction.requiringNew().call(() -> RunEntity.findById(runId));
        if (snapshot == null
                || !RunStatus.valueOf(snapshot.status.toUpperCase()).isActive()) {
            histories.remove(runId);
            compiledPlans.remove(runId);
            return false;
        }
        CompiledPlan plan = compiled(snapshot);
        Instant now = clock.instant();
        if (snapshot.lastTickAt != null
                && Duration.between(snapshot.lastTickAt, now).toMillis()
                        < plan.policy().tickIntervalMillis()) {
            return false;
        }
        HealthHistory history = histories.computeIfAbsent(runId, k -> new HealthHistory(HISTORY));
        if ("running".equals(snapshot.status)) {
            for (HealthSample sample : healthReader.read(snapshot.planName, plan, now)) {
                history.add(sample);
            }
        }
        Map<String, GateReading> readings = GateEvaluator.evaluate(plan, history.snapshot(), now);
        Map<String, Double> wants = "running".equals(snapshot.status) ? serviceWants.wantedPerSecond(runId) : Map.of();
        return QuarkusTransaction.requiringNew().call(() -> {
            RunEntity e = RunEntity.findById(runId, LockModeType.PESSIMISTIC_WRITE);
            if (e == null) {
                return false;
            }
            Instant decidedAt = clock.instant();
            Decision decision = Ramp.decide(plan, RunStateCodec.read(e.state), readings, wants, decidedAt);
            e.lastTickAt = decidedAt;
            write(e, decision.next(), decidedAt);
            record(e, plan, decision, AuditLog.CONTROLLER, null, readings, decidedAt);
            RunEntity.flush();
            committed.fire(new RunCommitted(load(e, plan)));
            return true;
        });
    }

    /** Active runs keep their compiled plan (ticks need it every interval); ended ones compile on demand. */
    private CompiledPlan compiled(RunEntity e) {
        if (!RunStatus.valueOf(e.status.toUpperCase()).isActive()) {
            compiledPlans.remove(e.id);
            return PlanCompiler.compileStored(PlanCodec.fromStoredJson(e.spec));
        }
        return compiledPlans.computeIfAbsent(e.id, id -> PlanCompiler.compileStored(PlanCodec.fromStoredJson(e.spec)));
    }

    private void write(RunEntity e, RunState state, Instant now) {
        e.state = RunStateCodec.write(state);
        e.status = state.status().wireName();
        e.stage = state.stage();
        e.updatedAt = now;
    }

    /**
     * One audit event per transition. {@code startReason}, the operator's reason for starting, is
     * recorded with the start; every other transition carries its own reason.
     */
    private void record(
            RunEntity e,
            CompiledPlan plan,
            Decision decision,
            String actor,
            String startReason,
            Map<String, GateReading> readings,
            Instant now) {
        for (Transition t : decision.transitions()) {
            String why = t.kind() == Transition.Kind.RUN_STARTED && startReason != null
                    ? startReason + " (" + t.reason() + ")"
                    : t.reason();
            String details = readings.isEmpty() ? null : RunStateCodec.write(Map.of("readings", readings));
            audit.append(
                    now, actor, t.kind().wireName(), e.id, e.planName, t.subject(), t.from(), t.to(), why, details);
            metrics.transition(t.kind());
        }
        metrics.observe(e.id, e.planName, plan, decision.next());
    }

    private LoadedRun load(RunEntity e) {
        return load(e, compiled(e));
    }

    /** A run whose plan the caller has already read (a run's plan never changes). */
    private LoadedRun load(RunEntity e, CompiledPlan plan) {
        return new LoadedRun(
                e.id,
                e.planName,
                e.planVersion,
                plan,
                RunStateCodec.read(e.state),
                e.startedBy,
                e.createdAt,
                e.updatedAt,
                e.lastTickAt,
                e.lockVersion);
    }

    private static RunEntity find(String runId) {
        RunEntity e = RunEntity.findById(runId);
        if (e == null) {
            throw notFound(runId);
        }
        return e;
    }

    private static ProblemException notFound(String runId) {
        return ProblemException.notFound("no run with id \"" + runId + "\"");
    }
}
