package dev.sluice.console;

import dev.sluice.control.Decision;
import dev.sluice.control.Ramp;
import dev.sluice.control.RunState;
import dev.sluice.control.Transition;
import dev.sluice.domain.DomainException;
import dev.sluice.plan.CompiledPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What an action would do to a run as it is now, found by applying the action (a pure function)
 * without committing it: "promote: budget 100.0/s → 200.0/s".
 *
 * @param allowed false when the run's status refuses the action; {@code effect} then says why
 * @param changes the transitions the action would record, in words
 */
public record Preview(
        ConsoleAction action,
        boolean allowed,
        String effect,
        List<String> changes,
        ConsoleAction.Target target,
        String refusedField) {

    public static Preview of(ConsoleAction action, CompiledPlan plan, RunState state, Instant now) {
        return of(action, plan, state, now, ConsoleAction.Target.NONE);
    }

    /**
     * @return a preview not {@code allowed} when the action is refused; {@code refusedField} then names
     *     the form's field at fault ("ratePerSecond"), or is null when the run's status refuses it
     */
    public static Preview of(
            ConsoleAction action, CompiledPlan plan, RunState state, Instant now, ConsoleAction.Target target) {
        Decision d;
        try {
            d = action.apply(plan, state, "preview", now, target);
        } catch (DomainException refused) {
            String field = refused.pointer() == null || refused.pointer().isEmpty()
                    ? null
                    : refused.pointer().substring(1);
            return new Preview(action, false, refused.getMessage(), List.of(), target, field);
        }
        RunState next = d.next();
        List<String> parts = new ArrayList<>();
        if (next.status() != state.status()) {
            parts.add("status " + state.status().wireName() + " → "
                    + next.status().wireName());
        }
        if (next.stage() != state.stage()) {
            parts.add("stage " + plan.stages().get(state.stage()).name() + " → "
                    + plan.stages().get(next.stage()).name());
        }
        double before = Ramp.budgetPerSecond(plan, state);
        double after = Ramp.budgetPerSecond(plan, next);
        Double promotedTo = action == ConsoleAction.PROMOTE ? Ramp.nextBudget(plan, next, now) : null;
        if (promotedTo != null) {
            // A promotion approves the next stage; the ramp enters it at its next tick whose gates pass.
            parts.add("budget " + Ramp.rate(before) + " → " + Ramp.rate(promotedTo) + " once the gates pass");
        } else if (before == after) {
            parts.add("budget stays " + Ramp.rate(before));
        } else {
            parts.add("budget " + Ramp.rate(before) + " → " + Ramp.rate(after));
        }
        if (action.onService()) {
            String service = target.service();
            parts.add(
                    0,
                    service + "'s allocation "
                            + Ramp.rate(state.services().get(service).allocationPerSecond()) + " → "
                            + Ramp.rate(next.services().get(service).allocationPerSecond())
                            + (action == ConsoleAction.OVERRIDE
                                    ? ", pinned for " + target.durationSeconds() + " s"
                                    : ", back to the ramp's share"));
        }
        if (next.holdSkipped() && !state.holdSkipped()) {
            parts.add("the rest of the stage's hold is skipped");
        }
        List<String> changes = new ArrayList<>();
        for (Transition t : d.transitions()) {
            changes.add(t.kind().wireName() + " " + t.subject()
                    + (t.from() == null && t.to() == null ? "" : ": " + t.from() + " → " + t.to()));
        }
        return new Preview(
                action,
                true,
                action.label() + (action.onService() ? " " + target.service() : "") + ": " + String.join("; ", parts),
                changes,
                target,
                null);
    }
}
