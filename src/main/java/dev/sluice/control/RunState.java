package dev.sluice.control;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Everything a run's decisions depend on, besides the plan and the health readings. Immutable; the
 * next state comes from {@link Controller#decide} or from an {@link OperatorAction}.
 *
 * @param stage index into the plan's stages
 * @param stageEnteredAt when the current stage began; its hold counts from here
 * @param stepBacks per stage name, how often the run stepped back from it
 * @param gates per gate name, its hysteresis streaks and latest reading
 * @param unknownSince when health became unreadable, null while it is readable
 * @param services per service name, its restoration status and allocation
 * @param overrides per service name, an operator's pinned rate
 * @param approvedStages stages an operator approved entering (manual-approval gates, promote)
 * @param holdSkipped an operator promoted: the rest of the current stage's hold is skipped
 * @param pauseReason why the run is paused, null unless paused
 * @param settleUntil after a step back, no further step back before this instant: the gates'
 *     windows must first fill with readings of the stage the run stepped back to (null: no wait)
 */
public record RunState(
        RunStatus status,
        int stage,
        Instant stageEnteredAt,
        Map<String, Integer> stepBacks,
        Map<String, GateTrack> gates,
        Instant unknownSince,
        Map<String, ServiceRun> services,
        Map<String, RateOverride> overrides,
        Set<String> approvedStages,
        boolean holdSkipped,
        String pauseReason,
        Instant settleUntil) {

    public RunState {
        stepBacks = Map.copyOf(stepBacks);
        gates = Map.copyOf(gates);
        services = Map.copyOf(services);
        overrides = Map.copyOf(overrides);
        approvedStages = Set.copyOf(approvedStages);
    }

    /** Sum of all service allocations, requests/s. */
    public double totalAllocationPerSecond() {
        return services.values().stream()
                .mapToDouble(ServiceRun::allocationPerSecond)
                .sum();
    }

    RunState withStatus(RunStatus next, String reason) {
        status.check(next);
        return new RunState(
                next,
                stage,
                stageEnteredAt,
                stepBacks,
                gates,
                unknownSince,
                services,
                overrides,
                approvedStages,
                holdSkipped,
                next == RunStatus.PAUSED ? reason : null,
                settleUntil);
    }

    /**
     * Hysteresis state of one gate.
     *
     * @param greenStreak consecutive green readings
     * @param redStreak consecutive red readings
     */
    public record GateTrack(int greenStreak, int redStreak, dev.sluice.health.GateReading last) {
        public static final GateTrack FRESH = new GateTrack(0, 0, null);
    }

    /**
     * @param fullSince since when the service has had its full demand, null if it has not
     * @param restoredAt when it was restored, null until then
     */
    public record ServiceRun(ServiceStatus status, double allocationPerSecond, Instant fullSince, Instant restoredAt) {}

    /** An operator's pinned rate for one service, until {@code expiresAt}. */
    public record RateOverride(double ratePerSecond, String reason, String actor, Instant expiresAt) {}
}
