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
    PUSH;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
