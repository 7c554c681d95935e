package dev.sluice.plan;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.sluice.domain.WireNames;

/** What a gate checks before the ramp may advance. */
public enum GateKind {
    /** Share of failed tier requests over the window, compared with {@code maxErrorRatio}. */
    TIER_ERROR_RATE,
    /** A latency percentile of the tier over the window, compared with {@code maxLatencyMillis}. */
    TIER_LATENCY,
    /** Share of failed requests of one service, compared with {@code maxErrorRatio}. */
    SERVICE_ERROR_RATE,
    /**
     * Any value one health source reports (a cache's cold-read rate, a queue's depth, a replication
     * lag), averaged over the window, within {@code min} and/or {@code max}.
     */
    METRIC,
    /** An operator must approve before the ramp passes this gate. */
    MANUAL_APPROVAL;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
