package dev.sluice.plan;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.sluice.domain.WireNames;

/** What the number a Prometheus query returns means. */
public enum Signal {
    /** A ratio of failed to all requests, 0..1. */
    ERROR_RATIO,
    /** A latency in milliseconds. */
    LATENCY_MILLIS;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
