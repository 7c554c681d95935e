package dev.sluice.control.run;

import dev.sluice.audit.store.AuditLog;
import dev.sluice.control.Decision;
import dev.sluice.control.Transition;
import dev.sluice.control.store.StoredRun;
import dev.sluice.domain.Json;
import dev.sluice.health.GateReading;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Instant;
import java.util.Map;

/**
 * What a committed decision leaves behind: one audit event per transition (in the same transaction
 * as the run's new state, so neither commits without the other), the run's metrics, and the {@link
 * RunCommitted} event, whose {@code AFTER_SUCCESS} observers see only states that did commit.
 * {@link DecisionListener}s write what must commit with it (the notification outbox). Stateless and
 * thread-safe.
 */
@ApplicationScoped
class RunRecorder {
    @Inject
    AuditLog audit;

    @Inject
    RunMetrics metrics;

    @Inject
    Event<RunCommitted> committed;

    @Inject
    jakarta.enterprise.inject.Instance<DecisionListener> listeners;

    /**
     * Records a decision whose next state {@code after} has just been written.
     *
     * @param startReason the operator's reason for starting, recorded with the start; every other
     *     transition carries its own reason
     * @param readings the gate readings the decision was made on, kept with each of its events
     */
    @Transactional(TxType.MANDATORY)
    void record(
            StoredRun after,
            Decision decision,
            String actor,
            String startReason,
            Map<String, GateReading> readings,
            Instant now) {
        record(after, decision, actor, startReason, readings, Map.of(), now);
    }

    /**
     * The same, for a command that came through another door than the REST API.
     *
     * @param origin what the command came from (the Kubernetes object: namespace/name, uid, how the
     *     actor is known), kept with each of its events under {@code origin}; empty for none
     */
    @Transactional(TxType.MANDATORY)
    void record(
            StoredRun after,
            Decision decision,
            String actor,
            String startReason,
            Map<String, GateReading> readings,
            Map<String, Object> origin,
            Instant now) {
        for (Transition t : decision.transitions()) {
            String why = t.kind() == Transition.Kind.RUN_STARTED && startReason != null
                    ? startReason + " (" + t.reason() + ")"
                    : t.reason();
            Map<String, Object> facts = new java.util.LinkedHashMap<>();
            if (!readings.isEmpty()) {
                facts.put("readings", readings);
            }
            if (!origin.isEmpty()) {
                facts.put("origin", origin);
            }
            String details = facts.isEmpty() ? null : Json.write(facts);
            audit.append(
                    now,
                    actor,
                    t.kind().wireName(),
                    after.id(),
                    after.planName(),
                    t.subject(),
                    t.from(),
                    t.to(),
                    why,
                    details);
            metrics.transition(t.kind());
        }
        for (DecisionListener listener : listeners) {
            listener.recorded(after, decision, actor, startReason, now);
        }
        metrics.observe(after.id(), after.planName(), after.plan(), decision.next());
        committed.fire(new RunCommitted(after));
    }
}
