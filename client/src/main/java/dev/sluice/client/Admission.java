package dev.sluice.client;

import java.time.Instant;

/**
 * What a limiter enforces now, and why.
 *
 * @param kind the kind of answer in force
 * @param ratePerSecond the rate enforced locally ({@link Kind#LEASED}, {@link Kind#FALLBACK}), or the
 *     service's rate Sluice named ({@link Kind#PERMITS}); 0 for the others
 * @param burst the most admitted at once under that rate
 * @param until when this answer stops holding on the client's clock: the lease's expiry, the end of
 *     an unrestricted answer, the earliest moment a refused client may ask again; null for a fallback
 * @param reason Sluice's word for it ({@code run-completed}, {@code no-run}, ...) or why the client
 *     fell back ({@code unreachable}, {@code not-yet-answered}, {@code refused:403}, ...)
 */
public record Admission(Kind kind, double ratePerSecond, long burst, Instant until, String reason) {
    public enum Kind {
        /** A lease is in force: its rate, locally. */
        LEASED,
        /** Sluice says nothing restricts admission now (the run completed, or the plan is open). */
        UNRESTRICTED,
        /** Sluice refused: nothing is admitted until {@code until}, then the client asks again. */
        CLOSED,
        /** Per-request permits: Sluice grants each request; {@code ratePerSecond} is the service's rate it named. */
        PERMITS,
        /** No answer of Sluice holds: the plan's safe rate (or the one configured), locally. */
        FALLBACK
    }
}
