package dev.sluice.plan;

import dev.sluice.api.WireNames;
import com.fasterxml.jackson.annotation.JsonValue;

/** Priority class of a dependent service; allocation serves higher classes first. */
public enum Priority {
    CRITICAL, HIGH, NORMAL, LOW;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
