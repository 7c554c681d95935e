package dev.sluice.control;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Everything a run's decisions depend on, besides the plan and the health readings. Immutable; the
 * next state comes from {@link Ramp#decide} or from an {@link OperatorAction}.
 *
 * @param stage index into the plan's stages
 * @param stageEnteredAt when the current stage's hold began counting: when the stage began, moved
 *     later by any time in which its health could not be read ({@link #holdPausedFor})
 * @param stepBacks per stage name, how often the run stepped back from it since it last resumed (a
 *     record for people; what pauses the run is {@link Ceiling#regressions()})
 * @param gates per gate name, its hysteresis streaks and latest reading
 * @param unknownSince when health became unreadable, null while it is readable
 * @param services per service name, its restoration status and allocation
 * @param overrides per service name, an operator's pinned rate
 * @param approvedStages stages an operator approved entering (manual-approval gates, promote)
 * @param holdSkipped an operator promoted: the rest of the current stage's hold is skipped
 * @param pauseReason why the run is paused, null unless paused
 * @param settleUntil after a step back, no further step back before this instant: the gates'
 *     windows must first fill with readings of the stage the run stepped back to (null: no wait)
 * @param ceiling what the ramp has learnt of the tier's real ceiling, and the budget in force when
 *     it is between two stages
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
        Instant settleUntil,
        Ceiling ceiling) {

    public RunState {
        ceiling = ceiling == null ? Ceiling.NONE : ceiling; // states stored before the ceiling search
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
                RunStatus.RUNNING,
                0,
                now,
                Map.of(),
                gates,
                null,
                services,
                Map.of(),
                Set.of(),
                false,
                null,
                null,
                Ceiling.NONE);
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
                settleUntil,
                ceiling);
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
                settleUntil,
                ceiling);
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
                settleUntil,
                ceiling);
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
                settleUntil,
                ceiling);
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
                settleUntil,
                ceiling);
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
                settleUntil,
                ceiling);
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
                settleUntil,
                ceiling);
    }

    /**
     * The same run with the current stage's hold moved {@code unread} later (never past {@code now}),
     * and any spell of unknown health moved with it: time in which health could not be read does
     * not count as holding.
     */
    public RunState holdPausedFor(java.time.Duration unread, Instant now) {
        Instant entered = stageEnteredAt.plus(unread);
        return new RunState(
                status,
                stage,
                entered.isAfter(now) ? now : entered,
                stepBacks,
                gates,
                unknownSince == null ? null : min(unknownSince.plus(unread), now),
                services,
                overrides,
                approvedStages,
                holdSkipped,
                pauseReason,
                settleUntil,
                ceiling);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
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
                settleUntil,
                ceiling);
    }

    public RunState withCeiling(Ceiling next) {
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
                settleUntil,
                next);
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
                until,
                ceiling);
    }

    /**
     * What the ramp has learnt of the tier's real ceiling, and where it is between stages. Optional
     * values are null rather than NaN so the state stays valid JSON.
     *
     * @param atPerSecond the budget in force while the ramp is between two stages (probing below a
     *     ceiling, or settled under it); null at the current stage's own budget
     * @param heldPerSecond the highest budget that held: a full hold with every gate green
     * @param trippedPerSecond the lowest budget that tripped a gate: the ceiling the ramp searches
     *     under; null while none did
     * @param trips how often a budget at that ceiling tripped
     * @param reprobeAt when the ramp may try the ceiling again
     * @param regressions when budgets that had held tripped, within the plan's regression window
     * @param trickle health was red at the first stage: only the plan's trickle is admitted
     */
    public record Ceiling(
            Double atPerSecond,
            Double heldPerSecond,
            Double trippedPerSecond,
            int trips,
            Instant reprobeAt,
            java.util.List<Instant> regressions,
            boolean trickle) {
        public static final Ceiling NONE = new Ceiling(null, null, null, 0, null, java.util.List.of(), false);

        public Ceiling {
            regressions = regressions == null ? java.util.List.of() : java.util.List.copyOf(regressions);
        }

        public Ceiling at(Double budgetPerSecond) {
            return new Ceiling(
                    budgetPerSecond, heldPerSecond, trippedPerSecond, trips, reprobeAt, regressions, trickle);
        }

        public Ceiling held(Double budgetPerSecond) {
            return new Ceiling(atPerSecond, budgetPerSecond, trippedPerSecond, trips, reprobeAt, regressions, trickle);
        }

        public Ceiling tripped(double budgetPerSecond, int count, Instant reprobe) {
            return new Ceiling(atPerSecond, heldPerSecond, budgetPerSecond, count, reprobe, regressions, trickle);
        }

        /** The ceiling is gone: a re-probe held at it, or an operator overrode it. */
        public Ceiling lifted() {
            return new Ceiling(atPerSecond, heldPerSecond, null, 0, null, regressions, trickle);
        }

        public Ceiling withRegressions(java.util.List<Instant> next) {
            return new Ceiling(atPerSecond, heldPerSecond, trippedPerSecond, trips, reprobeAt, next, trickle);
        }

        public Ceiling trickling(boolean on) {
            return new Ceiling(atPerSecond, heldPerSecond, trippedPerSecond, trips, reprobeAt, regressions, on);
        }
    }

    /**
     * Hysteresis state of one gate.
     *
     * @param greenStreak consecutive green readings
     * @param redStreak consecutive red readings
     * @param recovered the gate read green since its streaks were last restarted (a stage entered,
     *     a step back): a new bad spell can only begin after the last one ended
     */
    public record GateTrack(int greenStreak, int redStreak, dev.sluice.health.GateReading last, boolean recovered) {
        public static final GateTrack FRESH = new GateTrack(0, 0, null, false);

        public GateTrack(int greenStreak, int redStreak, dev.sluice.health.GateReading last) {
            this(greenStreak, redStreak, last, false);
        }

        /** No streak yet; the latest reading is kept for display. */
        public GateTrack restarted() {
            return new GateTrack(0, 0, last, false);
        }
    }

    /**
     * @param fullSince since when the service has had its full demand, null if it has not
     * @param restoredAt when it was restored, null until then
     * @param smoothedWantPerSecond what its clients want, smoothed over the plan's gate window
     *     (exponentially, so noise in single measurements cancels out); null before any report
     */
    public record ServiceRun(
            ServiceStatus status,
            double allocationPerSecond,
            Instant fullSince,
            Instant restoredAt,
            Double smoothedWantPerSecond) {

        public ServiceRun(ServiceStatus status, double allocationPerSecond, Instant fullSince, Instant restoredAt) {
            this(status, allocationPerSecond, fullSince, restoredAt, null);
        }

        public ServiceRun allocated(double ratePerSecond) {
            return new ServiceRun(status, ratePerSecond, fullSince, restoredAt, smoothedWantPerSecond);
        }

        public ServiceRun wanting(Double smoothed) {
            return new ServiceRun(status, allocationPerSecond, fullSince, restoredAt, smoothed);
        }
    }

    /** An operator's pinned rate for one service, until {@code expiresAt}. */
    public record RateOverride(double ratePerSecond, String reason, String actor, Instant expiresAt) {}
}
