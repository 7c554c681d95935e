package dev.sluice.plan;

/**
 * What a run does when things go wrong, and the pacing of its loop.
 *
 * @param stepBacksBeforePause step-backs from budgets that had already held, within the ramp's
 *     regression window, after which the run pauses for a human
 * @param unknownHealthPauseSeconds how long health may stay unreadable before the run pauses
 * @param safeRatePerSecond per-service rate a client falls back to when it cannot reach Sluice,
 *     and the floor admission freezes at when a run is aborted
 * @param tickIntervalMillis how often the run's decision loop runs
 * @param retryAfterSeconds base retry hint given to shed clients (jitter is added)
 */
public record FailurePolicy(
        GateFailureAction onGateFailure,
        Integer stepBacksBeforePause,
        Long unknownHealthPauseSeconds,
        Double safeRatePerSecond,
        Long tickIntervalMillis,
        Long retryAfterSeconds) {}
