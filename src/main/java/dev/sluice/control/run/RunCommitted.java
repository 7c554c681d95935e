package dev.sluice.control.run;

import dev.sluice.control.store.StoredRun;

/**
 * Fired (CDI event) when a run's new state has been written; observers use
 * {@code TransactionPhase.AFTER_SUCCESS} to see only committed states.
 */
public record RunCommitted(StoredRun run) {}
