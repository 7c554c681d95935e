package dev.sluice.notify.store;

import dev.sluice.control.Decision;
import dev.sluice.control.run.DecisionListener;
import dev.sluice.control.store.StoredRun;
import dev.sluice.domain.Json;
import dev.sluice.notify.Notice;
import dev.sluice.notify.Notices;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The outbox: each notice is written in the transaction of the transition that causes it (the run
 * recorder calls {@link #recorded} inside its transaction), so it commits or rolls back with it.
 * Delivery reads it later, on the leader. One insert per notice; no subscription is looked up here,
 * so a tick pays the same whatever the number of subscribers.
 */
@ApplicationScoped
public class Outbox implements DecisionListener {
    @Inject
    EntityManager em;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void recorded(StoredRun after, Decision decision, String actor, String startReason, Instant now) {
        List<Notice> notices = Notices.of(
                after.id(),
                after.planName(),
                after.plan(),
                decision.next(),
                decision.transitions(),
                actor,
                startReason,
                now,
                Outbox::newId);
        notices.forEach(this::append);
    }

    /** Appends one notice in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(Notice n) {
        em.createNativeQuery("INSERT INTO notify_event (id, type, run_id, plan_name, occurred_at, notice)"
                        + " VALUES (?1, ?2, ?3, ?4, ?5, CAST(?6 AS jsonb))")
                .setParameter(1, n.id())
                .setParameter(2, n.type().wireName())
                .setParameter(3, n.runId())
                .setParameter(4, n.planName())
                .setParameter(5, n.occurredAt())
                .setParameter(6, Json.write(n))
                .executeUpdate();
    }

    /** A notice id: {@code msg_} and 128 random bits, as Standard Webhooks ids usually look. */
    public static String newId() {
        return "msg_" + UUID.randomUUID().toString().replace("-", "");
    }
}
