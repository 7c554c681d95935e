package dev.sluice.audit;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * Appends audit events. {@link #append} only runs inside the caller's transaction, so an event is
 * committed together with the change it records, or neither is.
 */
@ApplicationScoped
public class AuditLog {
    /** The actor of decisions the controller takes by itself. */
    public static final String CONTROLLER = "controller";

    @Transactional(Transactional.TxType.MANDATORY)
    public void append(Instant at, String actor, String action, String runId, String planName, String subject,
                       String from, String to, String reason, String detailsJson) {
        AuditEventEntity e = new AuditEventEntity();
        e.at = at;
        e.actor = actor;
        e.action = action;
        e.runId = runId;
        e.planName = planName;
        e.subject = subject;
        e.fromState = from;
        e.toState = to;
        e.reason = reason;
        e.details = detailsJson;
        e.persist();
    }

    /** A run's events, oldest first, after event id {@code afterId} (0 for the start). */
    public List<AuditEvent> ofRun(String runId, long afterId, int limit) {
        return AuditEventEntity.<AuditEventEntity>find("runId = ?1 and id > ?2", Sort.by("id"), runId, afterId)
                .page(0, limit).stream().map(AuditLog::view).toList();
    }

    /** A run's most recent events, oldest first. */
    public List<AuditEvent> latestOfRun(String runId, int limit) {
        List<AuditEvent> newest = new java.util.ArrayList<>(AuditEventEntity.<AuditEventEntity>find("runId",
                Sort.descending("id"), runId).page(0, limit).stream().map(AuditLog::view).toList());
        java.util.Collections.reverse(newest);
        return newest;
    }

    private static AuditEvent view(AuditEventEntity e) {
        return new AuditEvent(e.id, e.at, e.actor, e.action, e.runId, e.planName, e.subject, e.fromState, e.toState,
                e.reason, e.details);
    }
}
