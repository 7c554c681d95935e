package dev.sluice.audit;

import java.time.Instant;

/**
 * An attributed record of a decision or an action.
 *
 * @param actor who: a person (or, once authentication lands, a principal), or {@code controller}
 *     for the run's own decisions
 * @param details JSON with what caused it (gate readings, policy), may be null
 */
public record AuditEvent(
        long id,
        Instant at,
        String actor,
        String action,
        String runId,
        String planName,
        String subject,
        String from,
        String to,
        String reason,
        String details) {}
