package dev.sluice.plan;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.sluice.domain.WireNames;

/** How replicas share a service's allocation. */
public enum AdmissionMode {
    /**
     * Each replica enforces allocation ÷ live replicas on its own buckets: no database on the
     * request path; exact when clients spread evenly over replicas, never above the allocation.
     * Offers permits and leases.
     */
    LOCAL_SHARE,
    /**
     * One bucket per service in PostgreSQL shared by every replica: globally exact, at the cost of a
     * database round trip per permit. Offers permits only.
     */
    EXACT;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
