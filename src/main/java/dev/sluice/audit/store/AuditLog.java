package dev.sluice.audit.store;

import dev.sluice.audit.AuditEvent;
import dev.sluice.audit.AuditHash;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * Appends audit events. {@link #append} only runs inside the caller's transaction, so an event is
 * committed together with the change it records, or neither is. Appends are serialized (a
 * transaction-scoped advisory lock) so that each event can chain to the hash of the one before it;
 * the same transaction moves the chain's head ({@code audit_head}: newest id, its hash, the number
 * of events), which {@link AuditChain#verify} compares with the table.
 */
@ApplicationScoped
public class AuditLog {
    /** Identifies the audit log's append lock among the database's advisory locks. */
    static final long APPEND_LOCK = 0x51_00_A0_D1L;

    @jakarta.inject.Inject
    jakarta.persistence.EntityManager em;

    /** The actor of decisions the controller takes by itself. */
    public static final String CONTROLLER = "controller";

    /** Appends an event in the caller's transaction and returns its id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long append(
            Instant at,
            String actor,
            String action,
            String runId,
            String planName,
            String subject,
            String from,
            String to,
            String reason,
            String detailsJson) {
        em.createNativeQuery("SELECT pg_advisory_xact_lock(?1)")
                .setParameter(1, APPEND_LOCK)
                .getSingleResult();
        AuditEventEntity e = new AuditEventEntity();
        e.at = AuditHash.stored(at);
        e.actor = actor;
        e.action = action;
        e.runId = runId;
        e.planName = planName;
        e.subject = subject;
        e.fromState = from;
        e.toState = to;
        e.reason = reason;
        e.details = detailsJson;
        e.persist(); // takes the next id from the sequence; the insert happens at flush
        e.prevHash = lastHash(e.id);
        e.hash = AuditHash.of(
                e.prevHash,
                e.id,
                e.at,
                e.actor,
                e.action,
                e.runId,
                e.planName,
                e.subject,
                e.fromState,
                e.toState,
                e.reason,
                e.details);
        em.flush(); // the event's row before the head that names it
        em.createNativeQuery("UPDATE audit_head SET last_id = ?1, head_hash = ?2, events = events + 1")
                .setParameter(1, e.id)
                .setParameter(2, e.hash)
                .executeUpdate();
        return e.id;
    }

    /** The hash of the newest event before {@code id}; the genesis hash for the first event. */
    private String lastHash(long id) {
        List<?> rows = em.createNativeQuery(
                        "SELECT hash FROM audit_event WHERE id < ?1 AND hash IS NOT NULL ORDER BY id DESC LIMIT 1")
                .setParameter(1, id)
                .getResultList();
        return rows.isEmpty() ? AuditHash.GENESIS : (String) rows.get(0);
    }

    /** A run's events, oldest first, after event id {@code afterId} (0 for the start). */
    public List<AuditEvent> ofRun(String runId, long afterId, int limit) {
        return AuditEventEntity.<AuditEventEntity>find("runId = ?1 and id > ?2", Sort.by("id"), runId, afterId)
                .page(0, limit)
                .stream()
                .map(AuditLog::view)
                .toList();
    }

    /** A run's most recent events, oldest first. */
    public List<AuditEvent> latestOfRun(String runId, int limit) {
        List<AuditEvent> newest = new java.util.ArrayList<>(
                AuditEventEntity.<AuditEventEntity>find("runId", Sort.descending("id"), runId).page(0, limit).stream()
                        .map(AuditLog::view)
                        .toList());
        java.util.Collections.reverse(newest);
        return newest;
    }

    private static AuditEvent view(AuditEventEntity e) {
        return new AuditEvent(
                e.id,
                e.at,
                e.actor,
                e.action,
                e.runId,
                e.planName,
                e.subject,
                e.fromState,
                e.toState,
                e.reason,
                e.details);
    }
}
