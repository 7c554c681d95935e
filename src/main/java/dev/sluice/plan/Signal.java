package dev.sluice.plan;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.sluice.domain.WireNames;

/** What the number a {@code prometheus}, {@code json} or {@code scrape} source reads means. */
public enum Signal {
    /** A ratio of failed to all requests, 0..1. */
    ERROR_RATIO,
    /** A latency in milliseconds. */
    LATENCY_MILLIS,
    /**
     * Any other value, in its own unit (a hit ratio, reads/s, a queue depth, seconds of lag): only
     * {@code metric} gates read it.
     */
    METRIC;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
