package dev.sluice.control;

import dev.sluice.control.RunState.RateOverride;
import dev.sluice.control.Transition.Kind;
import dev.sluice.domain.WireNames;
import dev.sluice.plan.CompiledPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an operator can do to a run, and from which statuses. The table of allowed statuses is here
 * and nowhere else; anything else is an {@link IllegalTransitionException}. Each action is a pure
 * function from the current state to a {@link Decision}; the actor and reason are recorded by the
 * caller with the transitions.
 */
public enum OperatorAction {
    PAUSE(EnumSet.of(RunStatus.RUNNING)),
    RESUME(EnumSet.of(RunStatus.PAUSED)),
    /** Skip the rest of the current stage's hold, and approve entering the next stage. */
    PROMOTE(EnumSet.of(RunStatus.RUNNING)),
    STEP_BACK(EnumSet.of(RunStatus.RUNNING, RunStatus.PAUSED)),
    ABORT(EnumSet.of(RunStatus.RUNNING, RunStatus.PAUSED)),
    OVERRIDE(EnumSet.of(RunStatus.RUNNING, RunStatus.PAUSED)),
    CLEAR_OVERRIDE(EnumSet.of(RunStatus.RUNNING, RunStatus.PAUSED));

    private final Set<RunStatus> allowedFrom;

    OperatorAction(Set<RunStatus> allowedFrom) {
        this.allowedFrom = allowedFrom;
    }

    public String wireName() {
        return WireNames.of(this);
    }

    private void checkAllowed(RunState s) {
        if (!allowedFrom.contains(s.status())) {
            String status = s.status().wireName();
            String article = "aeiou".indexOf(status.charAt(0)) >= 0 ? "an " : "a ";
            throw new IllegalTransitionException("cannot " + wireName() + " " + article + status + " run");
        }
    }

    public static Decision pause(RunState s, String reason) {
        PAUSE.checkAllowed(s);
        List<Transition> out = new ArrayList<>();
        return new Decision(Ramp.pause(s, reason, out), out);
    }

    /**
     * Resumes a paused run. The current stage's hold starts again, gates need fresh passing streaks,
     * and step-back counts are cleared: a human has looked at the run.
     */
    public static Decision resume(CompiledPlan plan, RunState s, String reason, Instant now) {
        RESUME.checkAllowed(s);
        RunState resumed = s.withStatus(RunStatus.RUNNING, null)
                .enterStage(s.stage(), now)
                .withStepBacks(Map.of())
                .withCeiling(s.ceiling().withRegressions(List.of()))
                .withUnknownSince(null)
                .withSettleUntil(null);
        return new Decision(
                Ramp.reallocate(plan, resumed),
                List.of(new Transition(Kind.RUN_RESUMED, "run", "paused", "running", reason)));
    }

    public static Decision promote(CompiledPlan plan, RunState s, String reason) {
        PROMOTE.checkAllowed(s);
        if (plan.isLastStage(s.stage())) {
            throw new IllegalTransitionException("the run is at its last stage; there is nothing to promote to");
        }
        String next = plan.stages().get(s.stage() + 1).name();
        // Promoting a run settled under a ceiling overrides what the ramp learnt: the ceiling no
        // longer holds it back. Below a ceiling with a step left, promoting skips the hold to it.
        RunState promoted = s.promotedTo(next);
        if (Ramp.settled(plan, s)) {
            promoted = promoted.withCeiling(s.ceiling().lifted());
        }
        return new Decision(
                promoted,
                List.of(new Transition(
                        Kind.STAGE_PROMOTED,
                        "stage",
                        plan.stages().get(s.stage()).name(),
                        next,
                        reason + " (hold skipped; advances once its gates pass)")));
    }

    /** Back one stage, at once. Does not count towards the automatic pause after K step-backs. */
    public static Decision stepBack(CompiledPlan plan, RunState s, String reason, Instant now) {
        STEP_BACK.checkAllowed(s);
        if (s.stage() == 0) {
            throw new IllegalTransitionException("the run is at its first stage; there is no stage to step back to");
        }
        RunState back = s.enterStage(s.stage() - 1, now)
                .withCeiling(s.ceiling().at(null).trickling(false));
        return new Decision(
                Ramp.reallocate(plan, back),
                List.of(new Transition(
                        Kind.STAGE_STEPPED_BACK,
                        "stage",
                        plan.stages().get(s.stage()).name(),
                        plan.stages().get(s.stage() - 1).name(),
                        reason)));
    }

    /** Ends the run with admission frozen at the plan's floor (restored services keep their rates). */
    public static Decision abort(CompiledPlan plan, RunState s, String reason) {
        ABORT.checkAllowed(s);
        RunState aborted = Ramp.freezeAtFloor(plan, s.withStatus(RunStatus.ABORTED, null));
        return new Decision(
                aborted,
                List.of(new Transition(Kind.RUN_ABORTED, "run", s.status().wireName(), "aborted", reason)));
    }

    /** Pins a service's rate until {@code expiresAt}; it takes effect at once, counted within the budget. */
    public static Decision override(
            CompiledPlan plan,
            RunState s,
            String service,
            double ratePerSecond,
            Instant expiresAt,
            String actor,
            String reason) {
        OVERRIDE.checkAllowed(s);
        Map<String, RateOverride> overrides = new HashMap<>(s.overrides());
        RateOverride previous = overrides.put(service, new RateOverride(ratePerSecond, reason, actor, expiresAt));
        RunState pinned = s.withOverrides(overrides);
        return new Decision(
                Ramp.reallocate(plan, pinned),
                List.of(new Transition(
                        Kind.OVERRIDE_SET,
                        service,
                        previous == null ? null : Ramp.rate(previous.ratePerSecond()),
                        Ramp.rate(ratePerSecond),
                        reason + " (until " + expiresAt + ")")));
    }

    public static Decision clearOverride(CompiledPlan plan, RunState s, String service, String reason) {
        CLEAR_OVERRIDE.checkAllowed(s);
        Map<String, RateOverride> overrides = new HashMap<>(s.overrides());
        RateOverride previous = overrides.remove(service);
        if (previous == null) {
            throw new IllegalTransitionException("service " + service + " has no override");
        }
        return new Decision(
                Ramp.reallocate(plan, s.withOverrides(overrides)),
                List.of(new Transition(
                        Kind.OVERRIDE_CLEARED, service, Ramp.rate(previous.ratePerSecond()), null, reason)));
    }
}
