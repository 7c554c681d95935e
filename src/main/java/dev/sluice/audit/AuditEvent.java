package dev.sluice.audit;

import java.time.Instant;

/**
 * An attributed record of a decision or an action.
 *
 * @param actor who: the name of the caller's token; {@code controller} for the decision loop, {@code
 *     bootstrap} for the first admin token, {@code anonymous} for a refused call without a valid one
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
