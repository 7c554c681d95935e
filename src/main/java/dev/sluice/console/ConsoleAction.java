package dev.sluice.console;

import dev.sluice.control.ActionRequests;
import dev.sluice.control.Decision;
import dev.sluice.control.OperatorAction;
import dev.sluice.control.RunState;
import dev.sluice.plan.CompiledPlan;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The run actions the console offers, each the same {@link OperatorAction} the REST API applies:
 * the console previews an action by applying it to the state it shows, and commits it through the
 * same command, so a preview and its result come from one implementation.
 */
public enum ConsoleAction {
    PAUSE("pause"),
    RESUME("resume"),
    PROMOTE("promote"),
    STEP_BACK("step-back"),
    ABORT("abort"),
    /** Pin one service's rate for a while ({@link Target} says which, at what rate, how long). */
    OVERRIDE("override"),
    /** Remove a service's pinned rate. */
    CLEAR_OVERRIDE("clear-override");

    /** The actions on the run as a whole, the Actions box's buttons. */
    public static final java.util.List<ConsoleAction> RUN_ACTIONS =
            java.util.List.of(PAUSE, RESUME, PROMOTE, STEP_BACK, ABORT);

    /**
     * What an override names: the service, and for {@link #OVERRIDE} its rate and how long it holds.
     * {@link #NONE} for the actions on the whole run.
     */
    public record Target(String service, Double ratePerSecond, Long durationSeconds, String actor) {
        public static final Target NONE = new Target(null, null, null, null);
    }

    private final String wireName;

    ConsoleAction(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** A human label: "step back". */
    public String label() {
        return wireName.replace('-', ' ');
    }

    public boolean onService() {
        return this == OVERRIDE || this == CLEAR_OVERRIDE;
    }

    public static Optional<ConsoleAction> of(String wireName) {
        for (ConsoleAction a : values()) {
            if (a.wireName.equals(wireName.toLowerCase(Locale.ROOT))) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** @throws dev.sluice.domain.DomainException when the run's status does not allow the action */
    public Decision apply(CompiledPlan plan, RunState state, String reason, Instant now) {
        return apply(plan, state, reason, now, Target.NONE);
    }

    /**
     * The same, for any action: an override's target is checked with the REST API's rules
     * ({@link ActionRequests#checkOverride}, the plan's services) before anything is applied.
     *
     * @throws dev.sluice.domain.DomainException when the status, the service or a number is refused
     */
    public Decision apply(CompiledPlan plan, RunState state, String reason, Instant now, Target target) {
        if (onService() && (target.service() == null || !plan.hasService(target.service()))) {
            throw dev.sluice.domain.DomainException.invalidField(
                    "/service", "unknown", "the run's plan has no service \"" + target.service() + "\"");
        }
        if (this == OVERRIDE) {
            ActionRequests.checkOverride(target.ratePerSecond(), target.durationSeconds());
        }
        return switch (this) {
            case OVERRIDE ->
                OperatorAction.override(
                        plan,
                        state,
                        target.service(),
                        target.ratePerSecond(),
                        now.plusSeconds(target.durationSeconds()),
                        target.actor(),
                        reason);
            case CLEAR_OVERRIDE -> OperatorAction.clearOverride(plan, state, target.service(), reason);
            case PAUSE -> OperatorAction.pause(state, reason);
            case RESUME -> OperatorAction.resume(plan, state, reason, now);
            case PROMOTE -> OperatorAction.promote(plan, state, reason);
            case STEP_BACK -> OperatorAction.stepBack(plan, state, reason, now);
            case ABORT -> OperatorAction.abort(plan, state, reason);
        };
    }
}
