package dev.sluice.control;

import dev.sluice.domain.WireNames;

/** Where a service is in its restoration. */
public enum ServiceStatus {
    /** A dependency is not restored yet: no admission. */
    BLOCKED,
    /** Eligible: gets a share of the stage budget. */
    ADMITTING,
    /** Its full demand was admitted and it stayed healthy for a stage hold. Final. */
    RESTORED;

    @com.fasterxml.jackson.annotation.JsonValue
    @Override
    public String toString() {
        return WireNames.of(this);
    }
}
