package dev.sluice.notify.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.audit.store.AuditLog;
import dev.sluice.domain.DomainException;
import dev.sluice.domain.Json;
import dev.sluice.notify.Notice;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Deliveries: one outbox event to one subscription, and what became of it. Claims use {@code FOR
 * UPDATE SKIP LOCKED} and a claim lease, so two replicas that both believe they lead (a hand-over)
 * never send the same delivery at once; a replica that dies mid-attempt leaves a claim that expires
 * and the delivery is retried with the same id (at least once).
 */
@ApplicationScoped
public class Deliveries {
    static final int MAX_ERROR = 500;

    @Inject
    EntityManager em;

    @Inject
    AuditLog audit;

    /** A claimed delivery, ready to send. */
    public record Claimed(long id, Notice notice, String subscriptionId, int attempts, Instant deadlineAt) {}

    /** A dead letter as listed. */
    public record DeadLetter(
            long id,
            String eventId,
            String event,
            String runId,
            String plan,
            String subscriptionId,
            int attempts,
            Integer lastStatus,
            String lastError,
            Instant occurredAt,
            Instant deadAt) {}

    /**
     * Turns events not yet fanned out into one pending delivery per matching subscription (event
     * named, plan matching or none given); returns how many deliveries it created.
     */
    @Transactional
    public int fanOut(Instant now, Duration deadline, int limit) {
        @SuppressWarnings("unchecked")
        List<String> ids = em.createNativeQuery("SELECT id FROM notify_event WHERE NOT fanned_out"
                        + " ORDER BY occurred_at, id LIMIT ?1 FOR UPDATE SKIP LOCKED")
                .setParameter(1, limit)
                .getResultList();
        if (ids.isEmpty()) {
            return 0;
        }
        int created = em.createNativeQuery("INSERT INTO notify_delivery"
                        + " (event_id, subscription_id, status, next_attempt_at, deadline_at, created_at)"
                        + " SELECT e.id, s.id, 'pending', ?2, e.occurred_at + CAST(?3 AS interval), ?2"
                        + " FROM notify_event e JOIN notify_subscription s"
                        + " ON (s.plan_name IS NULL OR s.plan_name = e.plan_name)"
                        + " AND position(',' || e.type || ',' IN ',' || s.events || ',') > 0"
                        + " WHERE e.id IN (?1) ON CONFLICT (event_id, subscription_id) DO NOTHING")
                .setParameter(1, ids)
                .setParameter(2, now)
                .setParameter(3, deadline.toMillis() + " milliseconds")
                .executeUpdate();
        em.createNativeQuery("UPDATE notify_event SET fanned_out = TRUE WHERE id IN (?1)")
                .setParameter(1, ids)
                .executeUpdate();
        return created;
    }

    /** Claims up to {@code limit} due deliveries until {@code now + lease}, oldest due first. */
    @Transactional
    public List<Claimed> claim(Instant now, Duration lease, int limit) {
        List<?> rows = em.createNativeQuery("UPDATE notify_delivery d SET claimed_until = ?2"
                        + " FROM notify_event e WHERE e.id = d.event_id AND d.id IN ("
                        + " SELECT id FROM notify_delivery WHERE status = 'pending' AND next_attempt_at <= ?1"
                        + " AND (claimed_until IS NULL OR claimed_until <= ?1)"
                        + " ORDER BY next_attempt_at, id LIMIT ?3 FOR UPDATE SKIP LOCKED)"
                        + " RETURNING d.id, CAST(e.notice AS text), d.subscription_id, d.attempts, d.deadline_at")
                .setParameter(1, now)
                .setParameter(2, now.plus(lease))
                .setParameter(3, limit)
                .getResultList();
        List<Claimed> out = new ArrayList<>();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            out.add(new Claimed(
                    Rows.number(r[0]), notice((String) r[1]), (String) r[2], Rows.integer(r[3]), Rows.instant(r[4])));
        }
        out.sort(java.util.Comparator.comparing((Claimed c) -> c.notice().occurredAt())
                .thenComparing(Claimed::id));
        return out;
    }

    @Transactional
    public void delivered(long id, int status, Instant now) {
        em.createNativeQuery("UPDATE notify_delivery SET status = 'delivered', attempts = attempts + 1,"
                        + " last_status = ?2, last_error = NULL, finished_at = ?3, claimed_until = NULL WHERE id = ?1")
                .setParameter(1, id)
                .setParameter(2, status)
                .setParameter(3, now)
                .executeUpdate();
    }

    /**
     * Records a failed attempt: retried at {@code retryAt}, or dead-lettered when that is past the
     * deadline. Returns true when it was dead-lettered.
     */
    @Transactional
    public boolean failed(long id, Integer status, String error, Instant now, Instant retryAt, Instant deadlineAt) {
        boolean dead = !retryAt.isBefore(deadlineAt);
        em.createNativeQuery(
                        "UPDATE notify_delivery SET status = ?2, attempts = attempts + 1, last_status = ?3,"
                                + " last_error = ?4, next_attempt_at = ?5, finished_at = ?6, claimed_until = NULL WHERE id = ?1")
                .setParameter(1, id)
                .setParameter(2, dead ? "dead" : "pending")
                .setParameter(3, status)
                .setParameter(4, error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error)
                .setParameter(5, retryAt)
                .setParameter(6, dead ? now : null)
                .executeUpdate();
        return dead;
    }

    /** Dead letters, newest first, optionally of one subscription. */
    @Transactional
    public List<DeadLetter> deadLetters(String subscriptionId, int limit) {
        List<?> rows = em.createNativeQuery("SELECT d.id, e.id, e.type, e.run_id, e.plan_name, d.subscription_id,"
                        + " d.attempts, d.last_status, d.last_error, e.occurred_at, d.finished_at"
                        + " FROM notify_delivery d JOIN notify_event e ON e.id = d.event_id"
                        + " WHERE d.status = 'dead' AND (CAST(?1 AS varchar) IS NULL OR d.subscription_id = ?1)"
                        + " ORDER BY d.id DESC LIMIT ?2")
                .setParameter(1, subscriptionId)
                .setParameter(2, limit)
                .getResultList();
        List<DeadLetter> out = new ArrayList<>();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            out.add(new DeadLetter(
                    Rows.number(r[0]),
                    (String) r[1],
                    (String) r[2],
                    (String) r[3],
                    (String) r[4],
                    (String) r[5],
                    Rows.integer(r[6]),
                    Rows.integer(r[7]),
                    (String) r[8],
                    Rows.instant(r[9]),
                    Rows.instant(r[10])));
        }
        return out;
    }

    /**
     * Puts a dead letter back in line, due now, with a fresh deadline; the event keeps its id, so a
     * receiver that did get it after all de-duplicates. Audited ({@code notify-redelivery}).
     */
    @Transactional
    public void redeliver(long id, String actor, String reason, Instant now, Duration deadline) {
        List<?> rows = em.createNativeQuery("SELECT d.event_id, d.subscription_id, e.run_id, e.plan_name"
                        + " FROM notify_delivery d JOIN notify_event e ON e.id = d.event_id"
                        + " WHERE d.id = ?1 AND d.status = 'dead' FOR UPDATE OF d")
                .setParameter(1, id)
                .getResultList();
        if (rows.isEmpty()) {
            throw DomainException.notFound("no dead letter " + id);
        }
        Object[] r = (Object[]) rows.get(0);
        em.createNativeQuery("UPDATE notify_delivery SET status = 'pending', attempts = 0, next_attempt_at = ?2,"
                        + " deadline_at = ?3, finished_at = NULL, claimed_until = NULL WHERE id = ?1")
                .setParameter(1, id)
                .setParameter(2, now)
                .setParameter(3, now.plus(deadline))
                .executeUpdate();
        audit.append(
                now,
                actor,
                "notify-redelivery",
                (String) r[2],
                (String) r[3],
                (String) r[1],
                "dead",
                "pending",
                reason,
                Json.write(Map.of("delivery", id, "event", r[0])));
    }

    /**
     * Deletes up to {@code limit} delivered deliveries finished before {@code cutoff}, then up to
     * {@code limit} fanned-out events that occurred before it and have no delivery left; returns how
     * many rows went. Dead letters stay until redelivered or their subscription is deleted: they are
     * what an operator still has to look at. Batched, so a backlog is worked off over several passes
     * without one long transaction.
     */
    @Transactional
    public int purge(Instant cutoff, int limit) {
        int deliveriesGone = em.createNativeQuery("DELETE FROM notify_delivery WHERE id IN ("
                        + " SELECT id FROM notify_delivery WHERE status = 'delivered' AND finished_at < ?1"
                        + " ORDER BY finished_at LIMIT ?2 FOR UPDATE SKIP LOCKED)")
                .setParameter(1, cutoff)
                .setParameter(2, limit)
                .executeUpdate();
        int eventsGone = em.createNativeQuery("DELETE FROM notify_event WHERE id IN ("
                        + " SELECT e.id FROM notify_event e WHERE e.fanned_out AND e.occurred_at < ?1"
                        + " AND NOT EXISTS (SELECT 1 FROM notify_delivery d WHERE d.event_id = e.id)"
                        + " ORDER BY e.occurred_at LIMIT ?2 FOR UPDATE SKIP LOCKED)")
                .setParameter(1, cutoff)
                .setParameter(2, limit)
                .executeUpdate();
        return deliveriesGone + eventsGone;
    }

    /** Events not yet fanned out plus deliveries still pending: what the outbox holds. */
    @Transactional
    public long depth() {
        Object n = em.createNativeQuery("SELECT (SELECT count(*) FROM notify_event WHERE NOT fanned_out)"
                        + " + (SELECT count(*) FROM notify_delivery WHERE status = 'pending')")
                .getSingleResult();
        return Rows.number(n);
    }

    /** A paused run, and when its pause was last announced (its pause, else its last reminder). */
    public record PausedRun(String runId, String planName, Instant lastAnnouncedAt) {}

    /** Paused runs with when they were last announced (when the run was last written, if never). */
    @Transactional
    public List<PausedRun> pausedRuns() {
        List<?> rows = em.createNativeQuery("SELECT r.id, r.plan_name, COALESCE(MAX(e.occurred_at), r.updated_at)"
                        + " FROM run r LEFT JOIN notify_event e ON e.run_id = r.id AND e.type = 'run-paused'"
                        + " WHERE r.status = 'paused' GROUP BY r.id, r.plan_name, r.updated_at")
                .getResultList();
        List<PausedRun> out = new ArrayList<>();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            out.add(new PausedRun((String) r[0], (String) r[1], Rows.instant(r[2])));
        }
        return out;
    }

    static Notice notice(String json) {
        try {
            return Json.mapper().readValue(json, Notice.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an outbox row does not read as a notice", e);
        }
    }
}
