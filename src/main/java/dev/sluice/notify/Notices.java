package dev.sluice.notify;

import dev.sluice.control.RunState;
import dev.sluice.control.RunStatus;
import dev.sluice.control.Transition;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.CompiledPlan.Stage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Which notices a committed decision announces. A pure function of the decision; thread-safe. */
public final class Notices {
    private Notices() {}

    /**
     * The notices of one decision, in the order of its transitions; an {@link
     * EventType#APPROVAL_NEEDED} follows a start or an advance into a stage whose next stage needs an
     * approval that has not been given.
     *
     * @param startReason the operator's reason for a start (it leads the start's reason, as in the
     *     audit log); null for none
     * @param ids a new stable id per notice
     */
    public static List<Notice> of(
            String runId,
            String planName,
            CompiledPlan plan,
            RunState next,
            List<Transition> transitions,
            String actor,
            String startReason,
            Instant now,
            Supplier<String> ids) {
        List<Notice> out = new ArrayList<>();
        String stage = plan.stages().get(next.stage()).name();
        for (Transition t : transitions) {
            EventType.of(t.kind())
                    .ifPresent(type -> out.add(new Notice(
                            ids.get(),
                            type,
                            runId,
                            planName,
                            t.subject(),
                            t.from(),
                            t.to(),
                            t.kind() == Transition.Kind.RUN_STARTED && startReason != null
                                    ? startReason + " (" + t.reason() + ")"
                                    : t.reason(),
                            actor,
                            stage,
                            now,
                            false)));
            boolean entered = t.kind() == Transition.Kind.RUN_STARTED || t.kind() == Transition.Kind.STAGE_ADVANCED;
            Stage waiting = entered ? unapprovedNext(plan, next) : null;
            if (waiting != null) {
                out.add(new Notice(
                        ids.get(),
                        EventType.APPROVAL_NEEDED,
                        runId,
                        planName,
                        "stage",
                        stage,
                        waiting.name(),
                        "stage " + waiting.name() + " needs an operator's approval before the run enters it",
                        actor,
                        stage,
                        now,
                        false));
            }
        }
        return out;
    }

    /** A reminder that run {@code runId} is still paused, for {@link Reminders}. */
    public static Notice stillPaused(
            String id, String runId, String planName, String stage, String pauseReason, Instant now) {
        return new Notice(
                id,
                EventType.RUN_PAUSED,
                runId,
                planName,
                "run",
                RunStatus.PAUSED.wireName(),
                RunStatus.PAUSED.wireName(),
                "still paused" + (pauseReason == null ? "" : ": " + pauseReason),
                "controller",
                stage,
                now,
                true);
    }

    /** The test action's sample: says what it is, names no real run. */
    public static Notice sample(String id, String actor, Instant now) {
        return new Notice(
                id,
                EventType.NOTIFICATION_TEST,
                "sample",
                "sample",
                "subscription",
                null,
                null,
                "a sample notification, sent by " + actor + " to check the receiver",
                actor,
                null,
                now,
                false);
    }

    private static Stage unapprovedNext(CompiledPlan plan, RunState s) {
        if (s.status() != RunStatus.RUNNING || plan.isLastStage(s.stage())) {
            return null;
        }
        Stage next = plan.stages().get(s.stage() + 1);
        return plan.needsApproval(next) && !s.approvedStages().contains(next.name()) ? next : null;
    }
}
