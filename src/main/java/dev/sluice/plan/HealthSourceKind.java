package dev.sluice.plan;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.sluice.domain.WireNames;

/** How a health source is read. */
public enum HealthSourceKind {
    /** An HTTP GET whose status and latency are the sample. */
    HTTP,
    /** An instant PromQL query whose scalar result is the sample. */
    PROMETHEUS,
    /** Samples pushed to Sluice by the system itself. */
    PUSH,
    /** An HTTP GET of a JSON document: the number at a JSON pointer is the sample. */
    JSON,
    /**
     * An HTTP GET of a Prometheus text exposition (a service's own {@code /metrics}): a gauge, a
     * counter's rate, or the ratio of two counters' increases between scrapes.
     */
    SCRAPE;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
