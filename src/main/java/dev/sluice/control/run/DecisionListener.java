package dev.sluice.control.run;

import dev.sluice.control.Decision;
import dev.sluice.control.store.StoredRun;
import java.time.Instant;

/**
 * Told of every decision as it is recorded, inside the transaction that writes the run's new state
 * and its audit events (CDI beans; {@link RunRecorder} calls each). What a listener writes commits
 * with the transition or rolls back with it: the notification outbox uses this, so a committed
 * transition is never left unannounced and a rolled-back one is never announced. A listener that
 * throws fails the transition.
 */
public interface DecisionListener {
    /** @param startReason the operator's reason for starting the run, with a start; otherwise null */
    void recorded(StoredRun after, Decision decision, String actor, String startReason, Instant now);
}
