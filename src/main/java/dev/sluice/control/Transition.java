package dev.sluice.control;

import dev.sluice.domain.WireNames;

/**
 * Something that changed in a run, with the reason. Every transition is recorded (audit log and
 * run timeline); a tick where nothing changed records nothing.
 *
 * @param subject what changed: the run, a stage, a gate or a service name
 */
public record Transition(Kind kind, String subject, String from, String to, String reason) {

    public enum Kind {
        RUN_STARTED,
        STAGE_ADVANCED,
        STAGE_STEPPED_BACK,
        RUN_PAUSED,
        RUN_RESUMED,
        RUN_COMPLETED,
        RUN_ABORTED,
        HEALTH_UNKNOWN,
        HEALTH_KNOWN,
        GATE_CHANGED,
        SERVICE_ADMITTING,
        SERVICE_RESTORED,
        OVERRIDE_SET,
        OVERRIDE_CLEARED,
        OVERRIDE_EXPIRED,
        STAGE_PROMOTED,
        /** Below a ceiling, the ramp raised the budget part of the way to the next stage. */
        BUDGET_RAISED,
        /** The search under a ceiling closed the gap: the run stays at the budget that held. */
        CEILING_SETTLED,
        /** A re-probe held at the ceiling: the tier holds more now, the ladder goes on. */
        CEILING_LIFTED,
        /** Health was red at the first stage: only a trickle is admitted. */
        TRICKLE_STARTED,
        /** Health is green again at the first stage: its budget is admitted. */
        TRICKLE_ENDED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wireName() {
            return WireNames.of(this);
        }
    }
}
