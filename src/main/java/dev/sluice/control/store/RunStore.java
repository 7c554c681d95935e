package dev.sluice.control.store;

import dev.sluice.control.RunState;
import dev.sluice.control.RunStatus;
import dev.sluice.domain.DomainException;
import dev.sluice.domain.DomainException.Fault;
import dev.sluice.domain.Json;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.PlanCodec;
import dev.sluice.plan.PlanCompiler;
import dev.sluice.plan.StoredPlan;
import dev.sluice.plan.store.ActiveRunLookup;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs as stored: one row per run with the plan's spec it started with and its state as JSON.
 * Reads join the caller's transaction or run in their own. Writes join the caller's transaction and
 * refuse to run without one, so a run's new state commits together with its audit events or not at
 * all; {@link #lock} takes the run's row lock for the rest of that transaction, so two writers of a
 * run never interleave. Stateless and thread-safe.
 */
@ApplicationScoped
public class RunStore implements ActiveRunLookup {
    /** Active runs' plans, compiled once: ticks need them every interval. Ended runs compile on demand. */
    private final java.util.Map<String, CompiledPlan> compiledPlans = new java.util.concurrent.ConcurrentHashMap<>();

    /** The run, or a not-found refusal. */
    @Transactional
    public StoredRun get(String runId) {
        return find(runId).orElseThrow(() -> notFound(runId));
    }

    @Transactional
    public Optional<StoredRun> find(String runId) {
        return RunEntity.<RunEntity>findByIdOptional(runId).map(this::load);
    }

    /** Newest first, of one plan or of all when {@code planName} is null. */
    @Transactional
    public List<StoredRun> list(String planName, int limit) {
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

    /** The run an idempotency key started, if any. */
    @Transactional(TxType.MANDATORY)
    public Optional<StoredRun> startedWith(String idempotencyKey) {
        return RunEntity.<RunEntity>find("idempotencyKey", idempotencyKey)
                .firstResultOptional()
                .map(this::load);
    }

    /**
     * Stores a new run of {@code plan} in {@code state}.
     *
     * @throws DomainException {@code RUN_ACTIVE} when the database refuses it: another run of the plan
     *     became active, or the idempotency key was just used, concurrently
     */
    @Transactional(TxType.MANDATORY)
    public StoredRun insert(
            StoredPlan plan,
            CompiledPlan compiled,
            RunState state,
            String idempotencyKey,
            String startedBy,
            Instant now) {
        RunEntity e = new RunEntity();
        e.id = UUID.randomUUID().toString();
        e.planName = plan.name();
        e.planVersion = plan.version();
        e.spec = PlanCodec.toJson(plan.spec());
        e.idempotencyKey = idempotencyKey;
        e.startedBy = startedBy;
        e.createdAt = now;
        write(e, state, now);
        try {
            e.persistAndFlush();
        } catch (PersistenceException ex) {
            throw new DomainException(
                    Fault.RUN_ACTIVE,
                    "plan " + plan.name() + " already has an active run, or this Idempotency-Key was just used");
        }
        return load(e, compiled);
    }

    /** The run, its row locked until the caller's transaction ends; empty when there is none. */
    @Transactional(TxType.MANDATORY)
    public Optional<StoredRun> lock(String runId) {
        RunEntity e = RunEntity.findById(runId, LockModeType.PESSIMISTIC_WRITE);
        return Optional.ofNullable(e).map(this::load);
    }

    /**
     * Writes a locked run's next state and returns the run as now stored (with its new version).
     *
     * @param ticked whether the controller decided this state (then it is the run's last tick)
     */
    @Transactional(TxType.MANDATORY)
    public StoredRun save(StoredRun locked, RunState next, Instant now, boolean ticked) {
        RunEntity e = RunEntity.findById(locked.id()); // the locked row, from this transaction's context
        if (ticked) {
            e.lastTickAt = now;
        }
        write(e, next, now);
        RunEntity.flush();
        return load(e, locked.plan());
    }

    private static void write(RunEntity e, RunState state, Instant now) {
        e.state = Json.write(state);
        e.status = state.status().wireName();
        e.stage = state.stage();
        e.updatedAt = now;
    }

    private StoredRun load(RunEntity e) {
        return load(e, compiled(e));
    }

    private CompiledPlan compiled(RunEntity e) {
        if (!RunStatus.valueOf(e.status.toUpperCase(java.util.Locale.ROOT)).isActive()) {
            compiledPlans.remove(e.id);
            return PlanCompiler.compileStored(PlanCodec.fromStoredJson(e.spec));
        }
        return compiledPlans.computeIfAbsent(e.id, id -> PlanCompiler.compileStored(PlanCodec.fromStoredJson(e.spec)));
    }

    /** A run whose plan the caller has already compiled. */
    private static StoredRun load(RunEntity e, CompiledPlan plan) {
        return new StoredRun(
                e.id,
                e.planName,
                e.planVersion,
                plan,
                Json.readStored(e.state, RunState.class),
                e.startedBy,
                e.createdAt,
                e.updatedAt,
                e.lastTickAt,
                e.lockVersion);
    }

    private static DomainException notFound(String runId) {
        return DomainException.notFound("no run with id \"" + runId + "\"");
    }
}
