package dev.sluice.plan;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.sluice.domain.WireNames;

/**
 * What the plan's per-plan admission address answers while the plan has no run in force: no run
 * was ever started, or the latest one was aborted without a floor to hold.
 */
public enum WhenNoRun {
    /**
     * Refuse (429, reason {@code no-run}, with Retry-After): the dependents wait for an operator to
     * start the run. The default, because a plan exists for a tier that may be down, and a dependent
     * that is told "go" before the ramp starts is the surge the plan exists to prevent.
     */
    CLOSED,
    /**
     * Admit without limit, saying so and for how long ({@code admission.unrestrictedSeconds}): for
     * plans kept ready while the tier is healthy.
     */
    OPEN;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
