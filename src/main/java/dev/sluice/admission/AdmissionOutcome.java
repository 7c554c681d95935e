package dev.sluice.admission;

import dev.sluice.domain.WireNames;
import java.util.List;

/**
 * The answer to a permit request.
 *
 * @param remaining tokens left after a grant; after a refusal, the tokens the bucket holds (fewer
 *     than asked)
 * @param ratePerSecond the service's permit rate on this replica
 * @param burstTokens the most the service's bucket can hold (0 while closed)
 * @param retryAfterMillis when to come back after a refusal (jittered)
 * @param retryAfterSeconds the same in whole seconds, drawn so that whole-second readers spread too
 *     (see {@link RetryAfter})
 * @param blockedBy for a blocked service, the dependencies not restored yet
 */
public record AdmissionOutcome(
        boolean granted,
        Reason reason,
        long permits,
        long remaining,
        double ratePerSecond,
        long burstTokens,
        long retryAfterMillis,
        long retryAfterSeconds,
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
