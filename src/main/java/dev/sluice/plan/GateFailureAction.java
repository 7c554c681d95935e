package dev.sluice.plan;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.sluice.domain.WireNames;

/** What a run does when a gate turns red. */
public enum GateFailureAction {
    /** Stay at the current stage. */
    HOLD,
    /** Go back one stage and hold there (the default). */
    STEP_BACK,
    /** Pause the run for a human. */
    PAUSE,
    /** Abort the run, freezing admission at the plan's floor. */
    ABORT;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
