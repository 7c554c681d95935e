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
 * The decision function of a run: {@code decide(plan, state, readings, now)}. Pure — no clock, no
 * I/O — so every rule is tested by handing it states, readings and instants.
 *
 * <p>One tick, in order:
 * <ol>
 *   <li>expired overrides are dropped;</li>
 *   <li>each health gate's reading updates its streaks (green N in a row to pass, red M in a row to
 *       trip; unknown resets both);</li>
 *   <li>unknown health holds the run, and pauses it once it lasted {@code unknownHealthPauseSeconds};</li>
 *   <li>a tripped gate applies the failure policy (step back one stage by default; K step-backs
 *       from one stage pause the run). After a step back the run does not step back again until
 *       the gates' windows hold only readings of the new stage: one bad spell is one step back,
 *       not a slide to the bottom;</li>
 *   <li>otherwise the ramp advances one stage when the hold is over (or skipped by an operator),
 *       every gate guarding the next stage has passed, and any manual approval was given; a
 *       stage that overstays its {@code maxSeconds} pauses the run;</li>
 *   <li>services are unblocked when all they depend on is restored, the stage budget is divided
 *       ({@link Allocator}: demands first, then what is left to services whose clients ask for
 *       more than their demand, a backlog to drain), and a service that had its full demand and
 *       stayed healthy for the stage hold is restored;</li>
 *   <li>the run completes at the last stage once every service is restored and no backlog is
 *       left.</li>
 * </ol>
 * Paused, completed and aborted runs keep their allocations unchanged (fail static).
 */
public final class Ramp {
    private static final double FULL_EPSILON = 1e-6;
    /**
     * Measured ask rates jitter with the timing of clients' loops: asking up to this share above
     * the demand is not a backlog.
     */
    static final double BACKLOG_TOLERANCE = 0.05;

    private Ramp() {}

    /** The state of a run that starts now: stage 0, services blocked or admitting, budget divided. */
    public static Decision start(CompiledPlan plan, Instant now) {
        Map<String, ServiceRun> services = new LinkedHashMap<>();
        for (Service s : plan.services()) {
            services.put(s.name(), new ServiceRun(ServiceStatus.BLOCKED, 0, null, null));
        }
        Map<String, GateTrack> gates = new HashMap<>();
        plan.document().gates().forEach(g -> gates.put(g.name(), GateTrack.FRESH));
        RunState initial = RunState.starting(now, gates, services);
        List<Transition> transitions = new ArrayList<>();
        transitions.add(new Transition(
                Kind.RUN_STARTED,
                "run",
                null,
                plan.stages().get(0).name(),
                "started at stage " + plan.stages().get(0).name()));
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
        s = track(plan, s, readings, transitions);
        s = judge(plan, s, now, transitions);
        if (s.status() == RunStatus.RUNNING) {
            s = restore(plan, s, wantedPerSecond, now, transitions);
            s = complete(plan, s, wantedPerSecond, transitions);
        } else if (s.status() == RunStatus.ABORTED) {
            s = freezeAtFloor(plan, s);
        }
        return new Decision(s, transitions);
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

    /** Updates every health gate's streaks with this tick's reading. */
    private static RunState track(
            CompiledPlan plan, RunState s, Map<String, GateReading> readings, List<Transition> out) {
        Map<String, GateTrack> gates = new HashMap<>(s.gates());
        for (HealthGate g : plan.healthGates()) {
            GateReading reading = readings.getOrDefault(g.name(), GateReading.unknown("no reading"));
            GateTrack before = gates.getOrDefault(g.name(), GateTrack.FRESH);
            GateTrack after = switch (reading.verdict()) {
                case GREEN -> new GateTrack(before.greenStreak() + 1, 0, reading);
                case RED -> new GateTrack(0, before.redStreak() + 1, reading);
                case UNKNOWN -> new GateTrack(0, 0, reading);
            };
            gates.put(g.name(), after);
            String was = gateState(g, before);
            String now = gateState(g, after);
            if (!was.equals(now)) {
                out.add(new Transition(Kind.GATE_CHANGED, g.name(), was, now, reading.detail()));
            }
        }
        return s.withGates(gates);
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

    /** Unknown health, tripped gates, and stage advance. */
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
        RunState known = s.unknownSince() == null ? s : s.withUnknownSince(null);
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
        return advanceIfDue(plan, known, active, now, out);
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
                        ? s // the gates still read the stage the run stepped back from: wait for fresh evidence
                        : stepBack(plan, s, now, why, out);
        };
    }

    /** Goes back one stage (or holds at the first) and pauses once a stage has seen K step-backs. */
    static RunState stepBack(CompiledPlan plan, RunState s, Instant now, String why, List<Transition> out) {
        String from = plan.stages().get(s.stage()).name();
        int to = Math.max(0, s.stage() - 1);
        Map<String, Integer> stepBacks = new HashMap<>(s.stepBacks());
        int count = stepBacks.merge(from, 1, Integer::sum);
        long settleSeconds = plan.activeHealthGates(to).stream()
                .mapToLong(HealthGate::windowSeconds)
                .max()
                .orElse(0);
        RunState back = s.enterStage(to, now)
                .withStepBacks(stepBacks)
                .withSettleUntil(
                        now.plusSeconds(settleSeconds).plusMillis(plan.policy().tickIntervalMillis()));
        out.add(new Transition(
                Kind.STAGE_STEPPED_BACK,
                "stage",
                from,
                plan.stages().get(to).name(),
                why + (to == s.stage() ? "; already at the first stage, holding" : "")));
        int limit = plan.policy().stepBacksBeforePause();
        if (count >= limit) {
            return pause(back, count + " step-backs from stage " + from + " (limit " + limit + ")", out);
        }
        return back;
    }

    private static RunState advanceIfDue(
            CompiledPlan plan, RunState s, List<HealthGate> active, Instant now, List<Transition> out) {
        Stage stage = plan.stages().get(s.stage());
        long atStage = Duration.between(s.stageEnteredAt(), now).getSeconds();
        boolean last = plan.isLastStage(s.stage());
        if (last) {
            return s;
        }
        boolean holdOver = s.holdSkipped() || atStage >= stage.holdSeconds();
        boolean gatesPassed =
                active.stream().allMatch(g -> s.gates().get(g.name()).greenStreak() >= g.greenSamples());
        Stage next = plan.stages().get(s.stage() + 1);
        boolean approved = !plan.needsApproval(next) || s.approvedStages().contains(next.name());
        if (holdOver && gatesPassed && approved) {
            out.add(new Transition(
                    Kind.STAGE_ADVANCED,
                    "stage",
                    stage.name(),
                    next.name(),
                    (s.holdSkipped() ? "promoted by an operator" : "held " + atStage + " s")
                            + (active.isEmpty()
                                    ? ""
                                    : "; gates passed: "
                                            + String.join(
                                                    ", ",
                                                    active.stream()
                                                            .map(g -> g.name() + " ("
                                                                    + s.gates()
                                                                            .get(g.name())
                                                                            .last()
                                                                            .detail() + ")")
                                                            .toList()))));
            return s.enterStage(s.stage() + 1, now);
        }
        if (stage.maxSeconds().isPresent() && atStage >= stage.maxSeconds().getAsLong()) {
            return pause(
                    s,
                    "stage " + stage.name() + " reached its maximum of "
                            + stage.maxSeconds().getAsLong() + " s without advancing"
                            + (approved ? "" : " (waiting for approval of " + next.name() + ")"),
                    out);
        }
        return s;
    }

    /** Unblocks, allocates and restores services for the current stage. */
    static RunState restore(
            CompiledPlan plan, RunState s, Map<String, Double> wantedPerSecond, Instant now, List<Transition> out) {
        var graph = plan.graph();
        Map<String, ServiceRun> services = new LinkedHashMap<>(s.services());
        for (Service svc : plan.services()) {
            ServiceRun run = services.get(svc.name());
            if (run.status() == ServiceStatus.BLOCKED
                    && graph.dependenciesOf(svc.name()).stream()
                            .allMatch(d -> services.get(d).status() == ServiceStatus.RESTORED)) {
                services.put(
                        svc.name(), new ServiceRun(ServiceStatus.ADMITTING, run.allocationPerSecond(), null, null));
                out.add(new Transition(
                        Kind.SERVICE_ADMITTING,
                        svc.name(),
                        "blocked",
                        "admitting",
                        graph.dependenciesOf(svc.name()).isEmpty()
                                ? "no dependencies"
                                : "dependencies restored: " + String.join(", ", graph.dependenciesOf(svc.name()))));
            }
        }
        Map<String, Double> allocation = allocation(plan, s.stage(), services, s.overrides(), wantedPerSecond);
        Stage stage = plan.stages().get(s.stage());
        boolean tierHealthy =
                plan.healthGates().stream().filter(HealthGate::readsTier).allMatch(g -> passed(g, s));
        for (Service svc : plan.services()) {
            ServiceRun run = services.get(svc.name());
            double rate = allocation.get(svc.name());
            if (run.status() != ServiceStatus.ADMITTING) {
                services.put(svc.name(), new ServiceRun(run.status(), rate, run.fullSince(), run.restoredAt()));
                continue;
            }
            boolean full = rate + FULL_EPSILON >= svc.demandPerSecond();
            Instant fullSince = full ? (run.fullSince() != null ? run.fullSince() : now) : null;
            boolean healthy = tierHealthy
                    && plan.healthGates().stream()
                            .filter(g -> svc.name().equals(g.service()))
                            .allMatch(g -> passed(g, s));
            if (fullSince != null && healthy && Duration.between(fullSince, now).getSeconds() >= stage.holdSeconds()) {
                services.put(svc.name(), new ServiceRun(ServiceStatus.RESTORED, rate, fullSince, now));
                out.add(new Transition(
                        Kind.SERVICE_RESTORED,
                        svc.name(),
                        "admitting",
                        "restored",
                        "full demand " + rate(svc.demandPerSecond()) + " admitted and healthy for "
                                + Duration.between(fullSince, now).getSeconds() + " s"));
            } else {
                services.put(svc.name(), new ServiceRun(ServiceStatus.ADMITTING, rate, fullSince, null));
            }
        }
        return s.withServices(services);
    }

    /** Divides the stage budget among services as they are now, changing nothing else. */
    static RunState reallocate(CompiledPlan plan, RunState s) {
        Map<String, Double> allocation = allocation(plan, s.stage(), s.services(), s.overrides(), Map.of());
        Map<String, ServiceRun> services = new LinkedHashMap<>();
        s.services()
                .forEach((name, run) -> services.put(
                        name, new ServiceRun(run.status(), allocation.get(name), run.fullSince(), run.restoredAt())));
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
                                : new ServiceRun(
                                        run.status(),
                                        Math.min(run.allocationPerSecond(), floor),
                                        run.fullSince(),
                                        run.restoredAt())));
        return s.withServices(services);
    }

    private static Map<String, Double> allocation(
            CompiledPlan plan,
            int stage,
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
        return Allocator.allocate(plan.budgetPerSecond(stage), claims);
    }

    /**
     * A run completes at its last stage once every service is restored and no backlog is left: no
     * service's clients ask for more than its demand (give or take {@link #BACKLOG_TOLERANCE}). A completed run's allocations are final,
     * so completing earlier would cap a draining backlog at the service's demand.
     */
    private static RunState complete(
            CompiledPlan plan, RunState s, Map<String, Double> wantedPerSecond, List<Transition> out) {
        boolean lastStage = plan.isLastStage(s.stage());
        boolean allRestored = s.services().values().stream().allMatch(r -> r.status() == ServiceStatus.RESTORED);
        boolean drained = plan.services().stream()
                .allMatch(svc -> wantedPerSecond.getOrDefault(svc.name(), 0.0)
                        <= svc.demandPerSecond() * (1 + BACKLOG_TOLERANCE));
        if (lastStage && allRestored && drained) {
            out.add(new Transition(
                    Kind.RUN_COMPLETED,
                    "run",
                    "running",
                    "completed",
                    "every service restored at stage "
                            + plan.stages().get(s.stage()).name()
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

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%.1f/s", perSecond);
    }
}
