package dev.sluice.control.run;

import dev.sluice.control.Decision;
import dev.sluice.control.IllegalTransitionException;
import dev.sluice.control.OperatorAction;
import dev.sluice.control.Ramp;
import dev.sluice.control.RunState;
import dev.sluice.control.store.RunStore;
import dev.sluice.control.store.StoredRun;
import dev.sluice.domain.DomainException;
import dev.sluice.domain.DomainException.Fault;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.PlanCompiler;
import dev.sluice.plan.StoredPlan;
import dev.sluice.plan.store.PlanStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What operators do to runs: start one (idempotently, with an {@code Idempotency-Key}) and act on
 * one ({@link OperatorAction}). Each command is one transaction: the run's new state and its audit
 * events commit together or not at all, under the run's row lock, so commands and ticks of a run
 * never interleave and none is lost. Refusals are {@link DomainException}s. Stateless and
 * thread-safe.
 */
@ApplicationScoped
public class RunCommands {
    @Inject
    Clock clock;

    @Inject
    PlanStore plans;

    @Inject
    RunStore runs;

    @Inject
    RunRecorder recorder;

    /** The outcome of a start: the run, and whether this request created it. */
    public record Started(StoredRun run, boolean created) {}

    /** What an operator action sees. */
    public record ActionContext(CompiledPlan plan, RunState state, Instant now) {}

    /**
     * Starts a run of a plan. A repeated {@code idempotencyKey} (may be null) returns the run it
     * started instead of starting another.
     *
     * @throws DomainException not found (no such plan), {@code RUN_ACTIVE} (the plan has an active
     *     run), {@code IDEMPOTENCY_KEY_REUSED} (the key started a run of another plan)
     */
    @Transactional
    public Started start(String planName, String actor, String reason, String idempotencyKey) {
        return start(planName, actor, reason, idempotencyKey, null, Map.of());
    }

    /**
     * Starts a run as {@link #start(String, String, String, String)} does, at a given stage, for a
     * command from another door than the REST API.
     *
     * @param startStage the name of the stage to start at; null for the first
     * @param origin what the command came from, recorded with its audit events (see {@link
     *     RunRecorder}); empty for none
     * @throws DomainException as the other form, and {@code INVALID_FIELD} when the plan has no stage
     *     {@code startStage}
     */
    @Transactional
    public Started start(
            String planName,
            String actor,
            String reason,
            String idempotencyKey,
            String startStage,
            Map<String, Object> origin) {
        if (idempotencyKey != null) {
            Optional<StoredRun> earlier = runs.startedWith(idempotencyKey);
            if (earlier.isPresent()) {
                if (!earlier.get().planName().equals(planName)) {
                    throw new DomainException(
                            Fault.IDEMPOTENCY_KEY_REUSED,
                            "Idempotency-Key " + idempotencyKey + " already started a run of plan "
                                    + earlier.get().planName() + "; use a new key for a different request");
                }
                return new Started(earlier.get(), false);
            }
        }
        StoredPlan stored = plans.get(planName);
        runs.activeRunOf(planName).ifPresent(id -> {
            throw new DomainException(Fault.RUN_ACTIVE, "plan " + planName + " already has an active run (" + id + ")")
                    .with("run", id);
        });
        Instant now = clock.instant();
        CompiledPlan plan = PlanCompiler.compileStored(stored.spec());
        int stage = 0;
        if (startStage != null) {
            stage = stageIndex(plan, startStage);
        }
        Decision start = Ramp.start(plan, stage, now);
        StoredRun run = runs.insert(stored, plan, start.next(), idempotencyKey, actor, now);
        recorder.record(run, start, actor, reason, Map.of(), origin, now);
        return new Started(run, true);
    }

    /**
     * Applies an operator action. {@code expectedVersion}, when given (If-Match), must be the run's
     * current version: a client acting on a stale view is refused instead of surprised.
     *
     * @throws DomainException not found, {@code STALE_VERSION} (with {@code currentVersion}), {@code
     *     ILLEGAL_TRANSITION} (with the run's {@code runStatus}), or whatever the action refuses
     */
    @Transactional
    public StoredRun act(
            String runId,
            Integer expectedVersion,
            String actor,
            String reason,
            Function<ActionContext, Decision> action) {
        return act(runId, expectedVersion, actor, reason, Map.of(), action);
    }

    /**
     * Applies an operator action as the other form does, for a command from another door than the
     * REST API.
     *
     * @param origin what the command came from, recorded with its audit events; empty for none
     */
    @Transactional
    public StoredRun act(
            String runId,
            Integer expectedVersion,
            String actor,
            String reason,
            Map<String, Object> origin,
            Function<ActionContext, Decision> action) {
        StoredRun locked =
                runs.lock(runId).orElseThrow(() -> DomainException.notFound("no run with id \"" + runId + "\""));
        if (expectedVersion != null && expectedVersion != locked.version()) {
            throw DomainException.staleVersion(
                    "run " + runId + " is at version " + locked.version() + ", not " + expectedVersion
                            + "; read it again",
                    locked.version());
        }
        Instant now = clock.instant();
        Decision decision;
        try {
            decision = action.apply(new ActionContext(locked.plan(), locked.state(), now));
        } catch (IllegalTransitionException ex) {
            throw ex.with("runStatus", locked.state().status().wireName());
        }
        StoredRun run = runs.save(locked, decision.next(), now, false);
        recorder.record(run, decision, actor, null, Map.of(), origin, now);
        return run;
    }

    private static int stageIndex(CompiledPlan plan, String name) {
        for (int i = 0; i < plan.stages().size(); i++) {
            if (plan.stages().get(i).name().equals(name)) {
                return i;
            }
        }
        throw DomainException.invalidField(
                "/startStage", "unknown-stage", "plan " + plan.name() + " has no stage \"" + name + "\"");
    }
}
