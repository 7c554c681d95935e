package dev.sluice.notify;

import java.time.Instant;
import java.util.Objects;

/**
 * One notification, as the outbox keeps it and every format renders it. {@code id} is stable: every
 * delivery and every retry of it carries the same id ({@code webhook-id}, the CloudEvents {@code
 * id}), so a receiver de-duplicates on it. Immutable.
 *
 * @param subject what changed (the run, a stage, a service), as the audit log names it
 * @param from the state before, or null
 * @param to the state after, or null
 * @param reason why, in words (for a pause: why it paused)
 * @param actor who caused it: a token's name, or {@code controller}
 * @param stage the run's stage after the change, or null
 * @param reminder true for a re-announcement of a run that stays paused
 */
public record Notice(
        String id,
        EventType type,
        String runId,
        String planName,
        String subject,
        String from,
        String to,
        String reason,
        String actor,
        String stage,
        Instant occurredAt,
        boolean reminder) {
    public Notice {
        Objects.requireNonNull(id);
        Objects.requireNonNull(type);
        Objects.requireNonNull(occurredAt);
    }
}
