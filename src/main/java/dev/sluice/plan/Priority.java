package dev.sluice.plan;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.sluice.domain.WireNames;

/** Priority class of a dependent service; allocation serves higher classes first. */
public enum Priority {
    CRITICAL,
    HIGH,
    NORMAL,
    LOW;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
