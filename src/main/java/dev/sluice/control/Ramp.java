package dev.sluice.control;

import dev.sluice.control.RunState.GateTrack;
import dev.sluice.control.RunState.RateOverride;
import dev.sluice.control.RunState.ServiceRun;
import dev.sluice.control.Transition.Kind;
import dev.sluice.health.GateReading;
import dev.sluice.health.Verdict;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.CompiledPlan.Service;
import dev.sluice.plan.CompiledPlan.Stage;
import dev.sluice.plan.HealthGate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The decision function of a run: {@code decide(plan, state, readings, wants, now)}. Pure — no
 * clock, no I/O — so every rule is tested by handing it states, readings and instants.
 *
 * <p>One tick, in order:
 * <ol>
 *   <li>expired overrides are dropped;</li>
 *   <li>each health gate's reading updates its streaks (green N in a row to pass, red M in a row to
 *       trip; unknown resets both). While the run settles after a step back, red readings do not
 *       count: they still describe the budget it stepped back from;</li>
 *   <li>unknown health holds the run, and pauses it once it lasted {@code unknownHealthPauseSeconds};
 *       the stage's hold does not count the time health was unknown, nor a gap in which the run was
 *       not ticked at all ({@link #resumeAfterGap});</li>
 *   <li>a tripped gate applies the failure policy. Stepping back (the default) treats the budget
 *       that tripped as a <em>ceiling</em>: the run goes back to the highest budget that held, then
 *       searches between the two by halving the gap instead of retrying the budget that tripped,
 *       and tries the ceiling itself again only after {@code ramp.reprobeAfterSeconds} (doubling
 *       with each trip at it). Only a trip at a budget that had already held — the tier getting
 *       worse — counts towards {@code stepBacksBeforePause}, within {@code
 *       ramp.regressionWindowSeconds}. Red health at the first stage admits only a trickle until
 *       it is green again, and never pauses the run;</li>
 *   <li>otherwise the ramp moves up one step when the hold is over (or skipped by an operator),
 *       every gate guarding the next stage has passed, and any manual approval was given: to the
 *       next stage, or, below a ceiling, half-way to it. A hold is the stage's {@code holdSeconds},
 *       or the shorter {@code ramp.minHoldSeconds} when every gate shows a clear margin (its
 *       value under {@code ramp.marginRatio} of its threshold) — never shorter than the gates'
 *       windows. A stage that overstays its {@code maxSeconds} pauses the run;</li>
 *   <li>a blocked service starts once every service it depends on is up (its full demand, healthy,
 *       for {@code ramp.serviceUpSeconds}) or restored; the budget in force is divided ({@link
 *       Allocator}: demands first, then what is left to services whose clients ask for more than
 *       their demand, a backlog to drain); a service that had its full demand and stayed healthy
 *       for the stage hold is restored;</li>
 *   <li>the run completes once every service is restored and no backlog is left, at the last
 *       stage or settled under a ceiling (the search has closed the gap).</li>
 * </ol>
 * Paused, completed and aborted runs keep their allocations unchanged (fail static).
 */
public final class Ramp {
    private static final double FULL_EPSILON = 1e-6;
    /** Budgets closer than this (requests/s) are the same budget. */
    private static final double BUDGET_EPSILON = 1e-6;
    /**
     * Measured ask rates jitter with the timing of clients' loops: asking up to this share above
     * the demand is not a backlog.
     */
    static final double BACKLOG_TOLERANCE = 0.05;

    /** The shortest time constant wants are smoothed with for completion. */
    static final double MIN_WANT_SMOOTHING_SECONDS = 10;
    /**
     * The smallest burst a bucket gets, in seconds of its rate, however little headroom the stage
     * leaves: enough for clients that ask for permits in batches over a 100 ms loop.
     */
    public static final double MIN_BURST_SECONDS = 0.1;
    /** The longest wait before a ceiling is tried again, however often it tripped. */
    static final long MAX_REPROBE_SECONDS = 3_600;

    private Ramp() {}

    /** The state of a run that starts now: stage 0, services blocked or admitting, budget divided. */
    public static Decision start(CompiledPlan plan, Instant now) {
        return start(plan, 0, now);
    }

    /**
     * The state of a run that starts now at stage {@code stage} (an operator who knows the tier
     * already holds more than the first stage): that stage's hold counts from now.
     *
     * @throws IllegalArgumentException when the plan has no such stage
     */
    public static Decision start(CompiledPlan plan, int stage, Instant now) {
        if (stage < 0 || stage >= plan.stages().size()) {
            throw new IllegalArgumentException("stage " + stage + " is not a stage of plan " + plan.name() + " (0 to "
                    + (plan.stages().size() - 1) + ")");
        }
        Map<String, ServiceRun> services = new LinkedHashMap<>();
        for (Service s : plan.services()) {
            services.put(s.name(), new ServiceRun(ServiceStatus.BLOCKED, 0, null, null));
        }
        Map<String, GateTrack> gates = new HashMap<>();
        plan.document().gates().forEach(g -> gates.put(g.name(), GateTrack.FRESH));
        RunState initial = RunState.starting(now, gates, services);
        if (stage > 0) {
            initial = initial.enterStage(stage, now);
        }
        List<Transition> transitions = new ArrayList<>();
        transitions.add(new Transition(
                Kind.RUN_STARTED,
                "run",
                null,
                plan.stages().get(stage).name(),
                "started at stage " + plan.stages().get(stage).name()));
        RunState next = restore(plan, initial, Map.of(), now, transitions);
        return new Decision(next, transitions);
    }

    /** A tick in which no service asked for more than its demand. */
    public static Decision decide(CompiledPlan plan, RunState state, Map<String, GateReading> readings, Instant now) {
        return decide(plan, state, readings, Map.of(), now);
    }

    /**
     * @param wantedPerSecond per service, the rate its clients recently asked for (permits granted
     *     and refused, plus lease wants); what exceeds its demand is a backlog to drain, and gets
     *     budget the stage has left once every eligible service has its demand
     */
    public static Decision decide(
            CompiledPlan plan,
            RunState state,
            Map<String, GateReading> readings,
            Map<String, Double> wantedPerSecond,
            Instant now) {
        List<Transition> transitions = new ArrayList<>();
        RunState s = expireOverrides(plan, state, now, transitions);
        if (s.status() != RunStatus.RUNNING) {
            return new Decision(s, transitions);
        }
        s = track(plan, s, readings, now, transitions);
        s = judge(plan, s, now, transitions);
        if (s.status() == RunStatus.RUNNING) {
            s = restore(plan, s, wantedPerSecond, now, transitions);
            s = complete(plan, s, wantedPerSecond, transitions);
        } else if (s.status() == RunStatus.ABORTED) {
            s = freezeAtFloor(plan, s);
        }
        return new Decision(s, transitions);
    }

    /**
     * The total admission budget in force, requests/s: the current stage's, a budget between two
     * stages while the ramp searches under a ceiling, or the trickle while health at the first
     * stage is red.
     */
    public static double budgetPerSecond(CompiledPlan plan, RunState s) {
        double stageBudget = plan.budgetPerSecond(s.stage());
        RunState.Ceiling c = s.ceiling();
        if (c.trickle()) {
            return Math.min(
                    stageBudget, plan.ramp().trickleShare() * plan.tier().capacityPerSecond());
        }
        return c.atPerSecond() != null ? c.atPerSecond() : stageBudget;
    }

    /**
     * How many seconds of its allocation each service's bucket may hold. Bursts come out of the
     * headroom — what the tier can hold (the plan's capacity, or a lower ceiling found) above the
     * budget — so the buckets together can never release more than that at once: the stage's
     * {@code burstSeconds}, cut to headroom ÷ budget, and never below {@link #MIN_BURST_SECONDS}.
     */
    public static double burstSeconds(CompiledPlan plan, RunState s) {
        double stageBurst = plan.stages().get(s.stage()).burstSeconds();
        double budget = budgetPerSecond(plan, s);
        if (budget <= 0) {
            return stageBurst;
        }
        double capacity = plan.tier().capacityPerSecond();
        if (s.ceiling().trippedPerSecond() != null) {
            capacity = Math.min(capacity, s.ceiling().trippedPerSecond());
        }
        double headroomSeconds = Math.max(0, capacity - budget) / budget;
        return Math.min(stageBurst, Math.max(MIN_BURST_SECONDS, headroomSeconds));
    }

    private static RunState expireOverrides(CompiledPlan plan, RunState s, Instant now, List<Transition> out) {
        Map<String, RateOverride> kept = new HashMap<>(s.overrides());
        s.overrides().forEach((service, o) -> {
            if (o.expiresAt() != null && !now.isBefore(o.expiresAt())) {
                kept.remove(service);
                out.add(new Transition(
                        Kind.OVERRIDE_EXPIRED,
                        service,
                        rate(o.ratePerSecond()),
                        null,
                        "override by " + o.actor() + " expired (" + o.reason() + ")"));
            }
        });
        if (kept.size() == s.overrides().size()) {
            return s;
        }
        RunState next = s.withOverrides(kept);
        // A running run re-divides its budget below. A paused one does so now, so an expired pin no
        // longer holds its service; an aborted one stays at its floor.
        return switch (next.status()) {
            case RUNNING, COMPLETED -> next;
            case PAUSED -> reallocate(plan, next);
            case ABORTED -> freezeAtFloor(plan, next);
        };
    }

    /**
     * Updates every health gate's streaks with this tick's reading. While the run settles after a
     * step back, a red reading does not count towards tripping.
     */
    private static RunState track(
            CompiledPlan plan, RunState s, Map<String, GateReading> readings, Instant now, List<Transition> out) {
        Map<String, GateTrack> gates = new HashMap<>(s.gates());
        for (HealthGate g : plan.healthGates()) {
            GateReading reading = readings.getOrDefault(g.name(), GateReading.unknown("no reading"));
            GateTrack before = gates.getOrDefault(g.name(), GateTrack.FRESH);
            boolean redCounts = !stillSettling(s, g, before, now);
            GateTrack after = switch (reading.verdict()) {
                case GREEN -> new GateTrack(before.greenStreak() + 1, 0, reading, true);
                case RED -> new GateTrack(0, redCounts ? before.redStreak() + 1 : 0, reading, before.recovered());
                case UNKNOWN -> new GateTrack(0, 0, reading, before.recovered());
            };
            gates.put(g.name(), after);
            String was = gateState(g, before);
            String state = gateState(g, after);
            if (!was.equals(state)) {
                out.add(new Transition(Kind.GATE_CHANGED, g.name(), was, state, reading.detail()));
            }
        }
        return s.withGates(gates);
    }

    /**
     * Whether a red reading of {@code gate} still belongs to the bad spell the run stepped back
     * from. For one window after a step back the gate's window still holds the higher budget's
     * readings; for one more, the tier may still be draining the queue that budget built, so red
     * then counts only once the gate has read green since the step back. After that, red is red:
     * the lower budget is failing too.
     */
    private static boolean stillSettling(RunState s, HealthGate gate, GateTrack track, Instant now) {
        if (s.settleUntil() == null) {
            return false;
        }
        if (now.isBefore(s.settleUntil())) {
            return true;
        }
        return !track.recovered() && now.isBefore(s.settleUntil().plusSeconds(gate.windowSeconds()));
    }

    /** A gate as people see it: passed, tripped, unknown or settling (streak not long enough yet). */
    public static String gateState(HealthGate g, GateTrack t) {
        if (t.greenStreak() >= g.greenSamples()) {
            return "passed";
        }
        if (t.redStreak() >= g.redSamples()) {
            return "tripped";
        }
        if (t.last() != null && t.last().verdict() == Verdict.UNKNOWN) {
            return "unknown";
        }
        return t.last() == null ? "not-read" : "settling";
    }

    /** Unknown health, tripped gates, the trickle, and moving up. */
    private static RunState judge(CompiledPlan plan, RunState s, Instant now, List<Transition> out) {
        List<HealthGate> active = plan.activeHealthGates(s.stage());
        List<HealthGate> unknown = active.stream()
                .filter(g -> s.gates().get(g.name()).last() == null
                        || s.gates().get(g.name()).last().verdict() == Verdict.UNKNOWN)
                .toList();
        if (!unknown.isEmpty()) {
            Instant since = s.unknownSince() != null ? s.unknownSince() : now;
            RunState held = s.withUnknownSince(since);
            String names =
                    String.join(", ", unknown.stream().map(HealthGate::name).toList());
            if (s.unknownSince() == null) {
                out.add(new Transition(
                        Kind.HEALTH_UNKNOWN, "run", null, names, "holding: health unknown for " + names));
            }
            long limit = plan.policy().unknownHealthPauseSeconds();
            if (Duration.between(since, now).getSeconds() >= limit) {
                return pause(held, "health unknown for " + limit + " s (" + names + ")", out);
            }
            return held;
        }
        // The hold counts only time in which health was read: the unknown spell is added to it.
        RunState known = s.unknownSince() == null
                ? s
                : s.holdPausedFor(unreadSinceStageEntered(s, s.unknownSince(), now), now)
                        .withUnknownSince(null);
        if (s.unknownSince() != null) {
            out.add(new Transition(
                    Kind.HEALTH_KNOWN,
                    "run",
                    null,
                    null,
                    "health readable again after "
                            + Duration.between(s.unknownSince(), now).getSeconds() + " s"));
        }
        List<HealthGate> tripped = active.stream()
                .filter(g -> known.gates().get(g.name()).redStreak() >= g.redSamples())
                .toList();
        if (!tripped.isEmpty()) {
            return onGateFailure(plan, known, tripped, now, out);
        }
        if (known.ceiling().trickle()) {
            return endTrickleIfGreen(plan, known, active, now, out);
        }
        return advanceIfDue(plan, known, active, now, out);
    }

    private static Duration unreadSinceStageEntered(RunState s, Instant unreadFrom, Instant now) {
        Instant from = unreadFrom.isBefore(s.stageEnteredAt()) ? s.stageEnteredAt() : unreadFrom;
        return from.isAfter(now) ? Duration.ZERO : Duration.between(from, now);
    }

    /**
     * A running run ticked again after {@code unread} in which its health was not read: this process
     * has just started (its health windows are empty), or ticks could not be committed (the database
     * was unreachable). Every gate's streak starts again from fresh readings, and the current
     * stage's hold does not count the gap; a run in any other status is returned unchanged.
     */
    public static RunState resumeAfterGap(RunState s, Duration unread, Instant now) {
        if (s.status() != RunStatus.RUNNING) {
            return s;
        }
        Map<String, GateTrack> fresh = new HashMap<>();
        s.gates().forEach((name, t) -> fresh.put(name, new GateTrack(0, 0, t.last(), t.recovered())));
        Duration counted = unread.isNegative() ? Duration.ZERO : unread;
        return s.withGates(fresh).holdPausedFor(counted, now);
    }

    private static RunState onGateFailure(
            CompiledPlan plan, RunState s, List<HealthGate> tripped, Instant now, List<Transition> out) {
        String why = "gate "
                + String.join(
                        ", ",
                        tripped.stream()
                                .map(g -> g.name() + " ("
                                        + s.gates().get(g.name()).last().detail() + ")")
                                .toList());
        return switch (plan.policy().onGateFailure()) {
            case HOLD -> resetStreaks(s, tripped);
            case PAUSE -> pause(s, why, out);
            case ABORT -> {
                out.add(new Transition(Kind.RUN_ABORTED, "run", s.status().wireName(), "aborted", why));
                yield s.withStatus(RunStatus.ABORTED, null);
            }
            case STEP_BACK ->
                s.settleUntil() != null && now.isBefore(s.settleUntil())
                        ? s // the gates still read the budget the run stepped back from: wait for fresh evidence
                        : stepBack(plan, s, now, why, out);
        };
    }

    /**
     * A budget tripped. At the first stage the run trickles; otherwise the budget becomes the
     * ceiling, the run goes back to the highest budget that held, and it pauses once budgets that
     * had held tripped {@code stepBacksBeforePause} times within the regression window.
     */
    static RunState stepBack(CompiledPlan plan, RunState s, Instant now, String why, List<Transition> out) {
        double tripBudget = budgetPerSecond(plan, s);
        RunState.Ceiling c = s.ceiling();
        Instant settleUntil =
                now.plusSeconds(longestWindow(plan, 0)).plusMillis(plan.policy().tickIntervalMillis());
        if (tripBudget <= plan.budgetPerSecond(0) + BUDGET_EPSILON) {
            if (c.trickle()) {
                return resetStreaks(s, plan.healthGates());
            }
            RunState trickling =
                    s.enterStage(0, now).withCeiling(c.at(null).trickling(true)).withSettleUntil(settleUntil);
            out.add(new Transition(
                    Kind.TRICKLE_STARTED,
                    "budget",
                    rate(tripBudget),
                    rate(budgetPerSecond(plan, trickling)),
                    why + "; at the first stage: only a trickle is admitted until health is green"));
            return trickling;
        }
        boolean regression = c.heldPerSecond() != null && tripBudget <= c.heldPerSecond() + BUDGET_EPSILON;
        double back = c.heldPerSecond() != null && c.heldPerSecond() < tripBudget - BUDGET_EPSILON
                ? c.heldPerSecond()
                : stageBudgetBelow(plan, tripBudget);
        int toStage = stageAt(plan, back);
        double resolution = plan.ramp().ceilingResolution();
        boolean sameCeiling =
                c.trippedPerSecond() != null && Math.abs(c.trippedPerSecond() - tripBudget) <= resolution * tripBudget;
        int trips = sameCeiling ? c.trips() + 1 : 1;
        double ceiling = c.trippedPerSecond() == null ? tripBudget : Math.min(c.trippedPerSecond(), tripBudget);
        long wait = Math.min(MAX_REPROBE_SECONDS, plan.ramp().reprobeAfterSeconds() << Math.min(20, trips - 1));
        List<Instant> regressions = new ArrayList<>();
        Instant windowStart = now.minusSeconds(plan.ramp().regressionWindowSeconds());
        c.regressions().stream().filter(t -> t.isAfter(windowStart)).forEach(regressions::add);
        if (regression) {
            regressions.add(now);
        }
        Map<String, Integer> stepBacks = new HashMap<>(s.stepBacks());
        String from = plan.stages().get(s.stage()).name();
        stepBacks.merge(from, 1, Integer::sum);
        RunState.Ceiling next = c.tripped(ceiling, trips, now.plusSeconds(wait))
                .held(back)
                .at(Math.abs(back - plan.budgetPerSecond(toStage)) <= BUDGET_EPSILON ? null : back)
                .withRegressions(regressions);
        RunState stepped = s.enterStage(toStage, now)
                .withCeiling(next)
                .withStepBacks(stepBacks)
                .withSettleUntil(settleUntil);
        out.add(new Transition(
                Kind.STAGE_STEPPED_BACK,
                "stage",
                from,
                plan.stages().get(toStage).name(),
                why + "; " + rate(tripBudget) + " tripped"
                        + (trips > 1 ? " (" + trips + " times)" : "")
                        + (regression ? " although it had held" : "")
                        + ": back to " + rate(back) + ", searching below " + rate(ceiling)
                        + ", trying it again after " + wait + " s"));
        int limit = plan.policy().stepBacksBeforePause();
        if (regressions.size() >= limit) {
            return pause(
                    reallocate(plan, stepped),
                    regressions.size() + " step-backs from budgets that had held within "
                            + plan.ramp().regressionWindowSeconds() + " s (limit " + limit + "); last at "
                            + rate(tripBudget) + " from stage " + from,
                    out);
        }
        return stepped;
    }

    /** Back to the first stage's budget once every gate passes again. */
    private static RunState endTrickleIfGreen(
            CompiledPlan plan, RunState s, List<HealthGate> active, Instant now, List<Transition> out) {
        if (!active.stream().allMatch(g -> passed(g, s))) {
            return s;
        }
        double trickle = budgetPerSecond(plan, s);
        RunState back = s.enterStage(0, now).withCeiling(s.ceiling().trickling(false));
        out.add(new Transition(
                Kind.TRICKLE_ENDED,
                "budget",
                rate(trickle),
                rate(budgetPerSecond(plan, back)),
                "health is green again: " + passedDetails(s, active)));
        return back;
    }

    private static RunState advanceIfDue(
            CompiledPlan plan, RunState s, List<HealthGate> active, Instant now, List<Transition> out) {
        Stage stage = plan.stages().get(s.stage());
        long atStage = Duration.between(s.stageEnteredAt(), now).getSeconds();
        double budget = budgetPerSecond(plan, s);
        RunState.Ceiling c = s.ceiling();
        if (c.trippedPerSecond() != null
                && budget >= c.trippedPerSecond() - BUDGET_EPSILON
                && atStage >= requiredHoldSeconds(plan, s, active)
                && active.stream().allMatch(g -> passed(g, s))) {
            out.add(new Transition(
                    Kind.CEILING_LIFTED,
                    "budget",
                    rate(c.trippedPerSecond()),
                    null,
                    rate(budget) + " held " + atStage + " s: the tier holds more now"));
            return s.withCeiling(c.lifted().held(budget));
        }
        Double target = nextBudget(plan, s, now);
        if (target == null) {
            RunState.Ceiling settling = c;
            if (c.trippedPerSecond() != null
                    && (c.heldPerSecond() == null || c.heldPerSecond() < budget - BUDGET_EPSILON)
                    && atStage >= requiredHoldSeconds(plan, s, active)
                    && active.stream().allMatch(g -> passed(g, s))) {
                settling = c.held(budget);
                out.add(new Transition(
                        Kind.CEILING_SETTLED,
                        "budget",
                        rate(c.trippedPerSecond()),
                        rate(budget),
                        "tier held " + rate(budget) + " " + atStage + " s; " + rate(c.trippedPerSecond())
                                + " tripped " + (c.trips() == 1 ? "once" : c.trips() + " times")
                                + "; trying it again at " + c.reprobeAt()));
            }
            return pauseIfOverstayed(plan, s.withCeiling(settling), stage, atStage, true, out);
        }
        boolean nextStage = !plan.isLastStage(s.stage())
                && Math.abs(target - plan.budgetPerSecond(s.stage() + 1)) <= BUDGET_EPSILON;
        boolean holdOver = s.holdSkipped() || atStage >= requiredHoldSeconds(plan, s, active);
        boolean gatesPassed = active.stream().allMatch(g -> passed(g, s));
        Stage next = nextStage ? plan.stages().get(s.stage() + 1) : null;
        boolean approved =
                next == null || !plan.needsApproval(next) || s.approvedStages().contains(next.name());
        if (holdOver && gatesPassed && approved) {
            String reason =
                    (s.holdSkipped() ? "promoted by an operator" : "held " + rate(budget) + " " + atStage + " s")
                            + (active.isEmpty() ? "" : "; gates passed: " + passedDetails(s, active));
            RunState.Ceiling learnt = c.held(budget);
            if (nextStage) {
                out.add(new Transition(Kind.STAGE_ADVANCED, "stage", stage.name(), next.name(), reason));
                return s.enterStage(s.stage() + 1, now).withCeiling(learnt.at(null));
            }
            out.add(new Transition(
                    Kind.BUDGET_RAISED,
                    "budget",
                    rate(budget),
                    rate(target),
                    reason + "; probing below the ceiling " + rate(c.trippedPerSecond())));
            return s.enterStage(s.stage(), now).withCeiling(learnt.at(target));
        }
        return pauseIfOverstayed(plan, s, stage, atStage, approved, out);
    }

    /**
     * Where the ramp goes next from the budget in force, or null when it stays: the next stage's
     * budget; under a ceiling, half-way to it (never past the next stage), the ceiling itself once
     * its re-probe is due, and nothing once the gap is within {@code ramp.ceilingResolution}.
     */
    public static Double nextBudget(CompiledPlan plan, RunState s, Instant now) {
        if (plan.isLastStage(s.stage())) {
            return null;
        }
        double budget = budgetPerSecond(plan, s);
        double nextStage = plan.budgetPerSecond(s.stage() + 1);
        Double ceiling = s.ceiling().trippedPerSecond();
        if (ceiling == null || ceiling > nextStage + BUDGET_EPSILON) {
            return nextStage;
        }
        if (s.ceiling().reprobeAt() != null && !now.isBefore(s.ceiling().reprobeAt())) {
            return ceiling > budget + BUDGET_EPSILON ? Math.min(ceiling, nextStage) : null;
        }
        if (closeToCeiling(plan, s)) {
            return null;
        }
        return Math.min(nextStage, budget + (ceiling - budget) / 2);
    }

    /**
     * The search under a ceiling has closed the gap, and the budget in force has held: it is what
     * the tier can hold.
     */
    public static boolean settled(CompiledPlan plan, RunState s) {
        return closeToCeiling(plan, s)
                && s.ceiling().heldPerSecond() != null
                && Math.abs(s.ceiling().heldPerSecond() - budgetPerSecond(plan, s)) <= BUDGET_EPSILON;
    }

    /** The budget in force is within {@code ramp.ceilingResolution} of the ceiling. */
    private static boolean closeToCeiling(CompiledPlan plan, RunState s) {
        Double ceiling = s.ceiling().trippedPerSecond();
        return ceiling != null
                && !s.ceiling().trickle()
                && ceiling - budgetPerSecond(plan, s) <= plan.ramp().ceilingResolution() * ceiling + BUDGET_EPSILON;
    }

    /**
     * The hold before moving up: the stage's own, or — when every active gate shows a clear
     * margin — {@code ramp.minHoldSeconds}, but never shorter than the gates' longest window.
     */
    public static long requiredHoldSeconds(CompiledPlan plan, RunState s, List<HealthGate> active) {
        long hold = plan.stages().get(s.stage()).holdSeconds();
        double margin = plan.ramp().marginRatio();
        boolean clearMargin = margin > 0
                && !active.isEmpty()
                && active.stream().allMatch(g -> {
                    GateTrack t = s.gates().get(g.name());
                    return passed(g, s)
                            && t.last().value() != null
                            && g.clearMargin(t.last().value(), margin);
                });
        if (!clearMargin) {
            return hold;
        }
        long longestWindow =
                active.stream().mapToLong(HealthGate::windowSeconds).max().orElse(0);
        return Math.min(hold, Math.max(plan.ramp().minHoldSeconds(), longestWindow));
    }

    private static RunState pauseIfOverstayed(
            CompiledPlan plan, RunState s, Stage stage, long atStage, boolean approved, List<Transition> out) {
        if (stage.maxSeconds().isPresent() && atStage >= stage.maxSeconds().getAsLong()) {
            Stage next = plan.isLastStage(s.stage()) ? null : plan.stages().get(s.stage() + 1);
            return pause(
                    s,
                    "stage " + stage.name() + " reached its maximum of "
                            + stage.maxSeconds().getAsLong() + " s without advancing"
                            + (approved || next == null ? "" : " (waiting for approval of " + next.name() + ")"),
                    out);
        }
        return s;
    }

    /** The budget of the highest stage below {@code budget} (the first stage's when none is). */
    private static double stageBudgetBelow(CompiledPlan plan, double budget) {
        double below = plan.budgetPerSecond(0);
        for (int i = 0; i < plan.stages().size(); i++) {
            if (plan.budgetPerSecond(i) < budget - BUDGET_EPSILON) {
                below = plan.budgetPerSecond(i);
            }
        }
        return below;
    }

    /** The highest stage whose budget is at most {@code budget}. */
    private static int stageAt(CompiledPlan plan, double budget) {
        int stage = 0;
        for (int i = 0; i < plan.stages().size(); i++) {
            if (plan.budgetPerSecond(i) <= budget + BUDGET_EPSILON) {
                stage = i;
            }
        }
        return stage;
    }

    /**
     * A service's want, smoothed exponentially with the plan's longest gate window (at least
     * {@link #MIN_WANT_SMOOTHING_SECONDS}) as time constant, one step per tick. Averaging cancels
     * measurement noise: with hundreds of services, some service's single measurement is almost
     * always a few per cent above its demand, so judging completion on raw measurements would
     * almost never complete; a real backlog lasts and shows in the average.
     */
    static Double smoothedWant(CompiledPlan plan, Double previous, Double measured) {
        if (measured == null || !Double.isFinite(measured)) {
            return previous;
        }
        double want = Math.max(0, measured);
        if (previous == null) {
            return want;
        }
        double tau = Math.max(MIN_WANT_SMOOTHING_SECONDS, longestWindow(plan, 0));
        double alpha = 1 - Math.exp(-plan.policy().tickIntervalMillis() / 1000.0 / tau);
        return previous + alpha * (want - previous);
    }

    private static long longestWindow(CompiledPlan plan, long orElse) {
        return plan.healthGates().stream()
                .mapToLong(HealthGate::windowSeconds)
                .max()
                .orElse(orElse);
    }

    private static String passedDetails(RunState s, List<HealthGate> gates) {
        return String.join(
                ", ",
                gates.stream()
                        .map(g ->
                                g.name() + " (" + s.gates().get(g.name()).last().detail() + ")")
                        .toList());
    }

    /**
     * Unblocks, allocates and restores services. A blocked service starts once each service it
     * depends on is up or restored: admitting chains one level per {@code ramp.serviceUpSeconds},
     * not per stage hold.
     */
    static RunState restore(
            CompiledPlan plan, RunState s, Map<String, Double> wantedPerSecond, Instant now, List<Transition> out) {
        var graph = plan.graph();
        boolean tierHealthy =
                plan.healthGates().stream().filter(HealthGate::readsTier).allMatch(g -> passed(g, s));
        Map<String, ServiceRun> services = new LinkedHashMap<>(s.services());
        for (Service svc : plan.services()) {
            ServiceRun run = services.get(svc.name());
            List<String> dependencies = graph.dependenciesOf(svc.name());
            if (run.status() == ServiceStatus.BLOCKED
                    && dependencies.stream().allMatch(d -> up(plan, s, d, tierHealthy, now))) {
                services.put(
                        svc.name(),
                        new ServiceRun(
                                ServiceStatus.ADMITTING,
                                run.allocationPerSecond(),
                                null,
                                null,
                                run.smoothedWantPerSecond()));
                out.add(new Transition(
                        Kind.SERVICE_ADMITTING,
                        svc.name(),
                        "blocked",
                        "admitting",
                        dependencies.isEmpty()
                                ? "no dependencies"
                                : "dependencies up: " + String.join(", ", dependencies)));
            }
        }
        // A service no report speaks for (after a restart, before replicas report again) keeps the
        // want it was last measured at, smoothed: its backlog's share does not vanish for a tick.
        Map<String, Double> wants = new HashMap<>(wantedPerSecond);
        services.forEach((name, run) -> {
            if (!wants.containsKey(name) && run.smoothedWantPerSecond() != null) {
                wants.put(name, run.smoothedWantPerSecond());
            }
        });
        Map<String, Double> allocation = allocation(plan, budgetPerSecond(plan, s), services, s.overrides(), wants);
        Stage stage = plan.stages().get(s.stage());
        for (Service svc : plan.services()) {
            ServiceRun run = services.get(svc.name());
            double rate = allocation.get(svc.name());
            Double smoothed = smoothedWant(plan, run.smoothedWantPerSecond(), wantedPerSecond.get(svc.name()));
            if (run.status() != ServiceStatus.ADMITTING) {
                services.put(svc.name(), run.allocated(rate).wanting(smoothed));
                continue;
            }
            boolean full = rate + FULL_EPSILON >= svc.demandPerSecond();
            Instant fullSince = full ? (run.fullSince() != null ? run.fullSince() : now) : null;
            boolean healthy = tierHealthy && serviceHealthy(plan, s, svc.name());
            if (fullSince != null && healthy && Duration.between(fullSince, now).getSeconds() >= stage.holdSeconds()) {
                services.put(svc.name(), new ServiceRun(ServiceStatus.RESTORED, rate, fullSince, now, smoothed));
                out.add(new Transition(
                        Kind.SERVICE_RESTORED,
                        svc.name(),
                        "admitting",
                        "restored",
                        "full demand " + rate(svc.demandPerSecond()) + " admitted and healthy for "
                                + Duration.between(fullSince, now).getSeconds() + " s"));
            } else {
                services.put(svc.name(), new ServiceRun(ServiceStatus.ADMITTING, rate, fullSince, null, smoothed));
            }
        }
        return s.withServices(services);
    }

    /** Restored, or admitting with its full demand and healthy for {@code ramp.serviceUpSeconds}. */
    private static boolean up(CompiledPlan plan, RunState s, String service, boolean tierHealthy, Instant now) {
        ServiceRun run = s.services().get(service);
        if (run.status() == ServiceStatus.RESTORED) {
            return true;
        }
        return run.status() == ServiceStatus.ADMITTING
                && run.fullSince() != null
                && tierHealthy
                && serviceHealthy(plan, s, service)
                && Duration.between(run.fullSince(), now).getSeconds()
                        >= plan.ramp().serviceUpSeconds();
    }

    private static boolean serviceHealthy(CompiledPlan plan, RunState s, String service) {
        return plan.healthGates().stream()
                .filter(g -> service.equals(g.service()))
                .allMatch(g -> passed(g, s));
    }

    /** Divides the stage budget among services as they are now, changing nothing else. */
    static RunState reallocate(CompiledPlan plan, RunState s) {
        Map<String, Double> allocation =
                allocation(plan, budgetPerSecond(plan, s), s.services(), s.overrides(), Map.of());
        Map<String, ServiceRun> services = new LinkedHashMap<>();
        s.services().forEach((name, run) -> services.put(name, run.allocated(allocation.get(name))));
        return s.withServices(services);
    }

    /**
     * Abort freezes admission at the plan's floor: restored services keep what they have (they are
     * healthy; cutting them off would cause the outage the run was preventing), the others are held
     * at no more than the plan's safe rate.
     */
    static RunState freezeAtFloor(CompiledPlan plan, RunState s) {
        double floor = plan.policy().safeRatePerSecond();
        Map<String, ServiceRun> services = new LinkedHashMap<>();
        s.services()
                .forEach((name, run) -> services.put(
                        name,
                        run.status() == ServiceStatus.RESTORED
                                ? run
                                : run.allocated(Math.min(run.allocationPerSecond(), floor))));
        return s.withServices(services);
    }

    private static Map<String, Double> allocation(
            CompiledPlan plan,
            double budgetPerSecond,
            Map<String, ServiceRun> services,
            Map<String, RateOverride> overrides,
            Map<String, Double> wantedPerSecond) {
        Map<String, Integer> depth = plan.depth();
        List<Allocator.Claim> claims = new ArrayList<>();
        for (Service svc : plan.services()) {
            RateOverride pin = overrides.get(svc.name());
            double wanted = wantedPerSecond.getOrDefault(svc.name(), 0.0);
            claims.add(new Allocator.Claim(
                    svc.name(),
                    svc.priority(),
                    depth.get(svc.name()),
                    svc.demandPerSecond(),
                    pin == null ? null : pin.ratePerSecond(),
                    services.get(svc.name()).status() != ServiceStatus.BLOCKED,
                    Double.isFinite(wanted) ? Math.max(0, wanted - svc.demandPerSecond()) : 0));
        }
        return Allocator.allocate(budgetPerSecond, claims);
    }

    /**
     * A run completes once every service is restored and no backlog is left (no service's clients
     * ask for more than its demand, give or take {@link #BACKLOG_TOLERANCE}, judged on their
     * smoothed want so that noise in one measurement neither blocks nor fakes it), at the last stage or
     * settled under a ceiling. A completed run's allocations are final, so completing earlier would
     * cap a draining backlog at the service's demand.
     */
    private static RunState complete(
            CompiledPlan plan, RunState s, Map<String, Double> wantedPerSecond, List<Transition> out) {
        boolean lastStage = plan.isLastStage(s.stage()) && s.ceiling().atPerSecond() == null;
        boolean settled = settled(plan, s);
        boolean allRestored = s.services().values().stream().allMatch(r -> r.status() == ServiceStatus.RESTORED);
        boolean drained = plan.services().stream().allMatch(svc -> {
            Double smoothed = s.services().get(svc.name()).smoothedWantPerSecond();
            return smoothed == null || smoothed <= svc.demandPerSecond() * (1 + BACKLOG_TOLERANCE);
        });
        if ((lastStage || settled) && allRestored && drained) {
            out.add(new Transition(
                    Kind.RUN_COMPLETED,
                    "run",
                    "running",
                    "completed",
                    "every service restored "
                            + (lastStage
                                    ? "at stage " + plan.stages().get(s.stage()).name()
                                    : "at " + rate(budgetPerSecond(plan, s)) + ", the ceiling the tier held ("
                                            + rate(s.ceiling().trippedPerSecond()) + " tripped "
                                            + s.ceiling().trips() + " times)")
                            + (wantedPerSecond.isEmpty() ? "" : ", no backlog left")));
            return s.withStatus(RunStatus.COMPLETED, null);
        }
        return s;
    }

    private static boolean passed(HealthGate g, RunState s) {
        GateTrack t = s.gates().get(g.name());
        return t != null && t.greenStreak() >= g.greenSamples();
    }

    static RunState pause(RunState s, String reason, List<Transition> out) {
        out.add(new Transition(Kind.RUN_PAUSED, "run", s.status().wireName(), "paused", reason));
        return s.withStatus(RunStatus.PAUSED, reason);
    }

    private static RunState resetStreaks(RunState s, List<HealthGate> gates) {
        Map<String, GateTrack> reset = new HashMap<>(s.gates());
        gates.forEach(g -> reset.put(g.name(), s.gates().get(g.name()).restarted()));
        return s.withGates(reset);
    }

    /** A rate as the timeline and the API's messages write it: {@code 1234.5/s}. */
    public static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%.1f/s", perSecond);
    }
}
