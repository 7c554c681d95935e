package dev.sluice.control;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Everything a run's decisions depend on, besides the plan and the health readings. Immutable; the
 * next state comes from {@link Ramp#decide} or from an {@link OperatorAction}.
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

    /** A run entering its first stage at {@code now}, nothing stepped back, approved or pinned. */
    public static RunState starting(Instant now, Map<String, GateTrack> gates, Map<String, ServiceRun> services) {
        return new RunState(
                RunStatus.RUNNING, 0, now, Map.of(), gates, null, services, Map.of(), Set.of(), false, null, null);
    }

    /**
     * The same run in another status; only legal transitions ({@link RunStatus#check}). A pause
     * keeps its reason, any other status clears it.
     *
     * @throws IllegalTransitionException when the run may not go from its status to {@code next}
     */
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
     * The run at {@code stage} from {@code at} on: its hold counts from then, an operator's skip is
     * used up, and every gate needs a fresh streak (its latest reading is kept for display).
     */
    public RunState enterStage(int nextStage, Instant at) {
        Map<String, GateTrack> fresh = new java.util.HashMap<>();
        gates.forEach((name, t) -> fresh.put(name, t.restarted()));
        return new RunState(
                status,
                nextStage,
                at,
                stepBacks,
                fresh,
                unknownSince,
                services,
                overrides,
                approvedStages,
                false,
                pauseReason,
                settleUntil);
    }

    public RunState withGates(Map<String, GateTrack> next) {
        return new RunState(
                status,
                stage,
                stageEnteredAt,
                stepBacks,
                next,
                unknownSince,
                services,
                overrides,
                approvedStages,
                holdSkipped,
                pauseReason,
                settleUntil);
    }

    public RunState withServices(Map<String, ServiceRun> next) {
        return new RunState(
                status,
                stage,
                stageEnteredAt,
                stepBacks,
                gates,
                unknownSince,
                next,
                overrides,
                approvedStages,
                holdSkipped,
                pauseReason,
                settleUntil);
    }

    public RunState withOverrides(Map<String, RateOverride> next) {
        return new RunState(
                status,
                stage,
                stageEnteredAt,
                stepBacks,
                gates,
                unknownSince,
                services,
                next,
                approvedStages,
                holdSkipped,
                pauseReason,
                settleUntil);
    }

    public RunState withStepBacks(Map<String, Integer> next) {
        return new RunState(
                status,
                stage,
                stageEnteredAt,
                next,
                gates,
                unknownSince,
                services,
                overrides,
                approvedStages,
                holdSkipped,
                pauseReason,
                settleUntil);
    }

    /** @param since when health became unreadable; null once it is readable again */
    public RunState withUnknownSince(Instant since) {
        return new RunState(
                status,
                stage,
                stageEnteredAt,
                stepBacks,
                gates,
                since,
                services,
                overrides,
                approvedStages,
                holdSkipped,
                pauseReason,
                settleUntil);
    }

    /** An operator approved entering {@code stageName} and skipped the rest of the current hold. */
    public RunState promotedTo(String stageName) {
        Set<String> approved = new java.util.HashSet<>(approvedStages);
        approved.add(stageName);
        return new RunState(
                status,
                stage,
                stageEnteredAt,
                stepBacks,
                gates,
                unknownSince,
                services,
                overrides,
                approved,
                true,
                pauseReason,
                settleUntil);
    }

    /** @param until no automatic step back before this instant; null for no wait */
    public RunState withSettleUntil(Instant until) {
        return new RunState(
                status,
                stage,
                stageEnteredAt,
                stepBacks,
                gates,
                unknownSince,
                services,
                overrides,
                approvedStages,
                holdSkipped,
                pauseReason,
                until);
    }

    /**
     * Hysteresis state of one gate.
     *
     * @param greenStreak consecutive green readings
     * @param redStreak consecutive red readings
     */
    public record GateTrack(int greenStreak, int redStreak, dev.sluice.health.GateReading last) {
        public static final GateTrack FRESH = new GateTrack(0, 0, null);

        /** No streak yet; the latest reading is kept for display. */
        public GateTrack restarted() {
            return new GateTrack(0, 0, last);
        }
    }

    /**
     * @param fullSince since when the service has had its full demand, null if it has not
     * @param restoredAt when it was restored, null until then
     */
    public record ServiceRun(ServiceStatus status, double allocationPerSecond, Instant fullSince, Instant restoredAt) {}

    /** An operator's pinned rate for one service, until {@code expiresAt}. */
    public record RateOverride(double ratePerSecond, String reason, String actor, Instant expiresAt) {}
}
