package dev.sluice.admission;

import dev.sluice.domain.WireNames;
import java.util.List;

/**
 * The answer to a permit request.
 *
 * @param remaining tokens left after a grant
 * @param retryAfterMillis when to come back after a refusal (jittered)
 * @param blockedBy for a blocked service, the dependencies not restored yet
 */
public record AdmissionOutcome(
        boolean granted,
        Reason reason,
        long permits,
        long remaining,
        double ratePerSecond,
        long retryAfterMillis,
        List<String> blockedBy,
        String stage,
        String runStatus) {

    /** Why a request was refused. */
    public enum Reason {
        GRANTED,
        OVER_RATE,
        BLOCKED,
        NO_ALLOCATION;

        public String wireName() {
            return WireNames.of(this);
        }
    }
}
