package dev.sluice.console;

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
    ABORT("abort");

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
        return switch (this) {
            case PAUSE -> OperatorAction.pause(state, reason);
            case RESUME -> OperatorAction.resume(plan, state, reason, now);
            case PROMOTE -> OperatorAction.promote(plan, state, reason);
            case STEP_BACK -> OperatorAction.stepBack(plan, state, reason, now);
            case ABORT -> OperatorAction.abort(plan, state, reason);
        };
    }
}
