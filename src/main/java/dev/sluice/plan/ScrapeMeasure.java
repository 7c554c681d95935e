package dev.sluice.plan;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.sluice.domain.WireNames;

/** What a {@code scrape} source makes of the series its {@code metric} selects (summed). */
public enum ScrapeMeasure {
    /** Their current value (a gauge: a queue's depth, a replication lag). */
    GAUGE,
    /** Their increase per second since the previous scrape (a counter: cold reads/s). */
    RATE,
    /**
     * Their increase divided by the increase of the {@code totalMetric} series since the previous
     * scrape (two counters: errors / requests, cache misses / lookups).
     */
    RATIO;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
