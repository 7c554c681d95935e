package dev.sluice.control.run;

/**
 * Fired (CDI event) when a run's new state has been written; observers use
 * {@code TransactionPhase.AFTER_SUCCESS} to see only committed states.
 */
public record RunCommitted(RunService.LoadedRun run) {}
