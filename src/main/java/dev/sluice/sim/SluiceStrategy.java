package dev.sluice.sim;

import dev.sluice.admission.ClockTimeMeter;
import dev.sluice.admission.LocalPermitBucket;
import dev.sluice.admission.RateLimit;
import dev.sluice.admission.RunAdmission;
import dev.sluice.admission.ServiceAdmission;
import dev.sluice.control.OperatorAction;
import dev.sluice.control.Ramp;
import dev.sluice.control.RunState;
import dev.sluice.control.RunStatus;
import dev.sluice.health.GateEvaluator;
import dev.sluice.health.GateReading;
import dev.sluice.health.HealthHistory;
import dev.sluice.health.HealthSample;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.CompiledPlan.Stage;
import dev.sluice.plan.HealthGate;
import dev.sluice.plan.HealthSource;
import dev.sluice.plan.Signal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sluice itself inside the simulator: the real {@link Ramp} decides at the plan's tick
 * interval from gate readings made by the real {@link GateEvaluator}, and every request goes
 * through the real {@link ServiceAdmission} with its Bucket4j bucket, on a simulated clock.
 *
 * <p>What it sees of the tier is what its health sources would report: the tier's error ratio and
 * latency over the last second, and each service's error ratio; never the capacity. What clients
 * ask for (granted or refused) is reported to the controller as their wants, as replicas do. A
 * {@code metric} gate on a value it does not model is left out (see {@link #rehearsable}). A
 * manual-approval gate is approved as soon as the hold before it is over, plus the operator's
 * approval delay; a run the controller pauses is resumed by the operator after the resume delay
 * (until then its allocations stay as they were, as in a real pause).
 */
public final class SluiceStrategy implements AdmissionStrategy {
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private final CompiledPlan plan;
    private final Operator operator;
    private final SimulatedClock clock = new SimulatedClock();
    /** The plan's services, in the simulator's order (the plan's). */
    private final List<String> services;

    /** Admission for the rehearsed run: the server's own code, on the simulated clock. */
    private final RunAdmission admission;

    private final ServiceAdmission[] byIndex;
    private final Map<String, Integer> indexOf = new HashMap<>();
    private final double[] askedSinceTick;
    private final HealthHistory history;
    private final List<StageChange> stages = new ArrayList<>();
    private RunState state;
    private double nextTickAt;
    private double lastTickAt;
    private double pausedAt;

    /**
     * The operator of the rehearsal: approves a manual gate {@code approvalDelaySeconds} after the
     * ramp is otherwise ready to enter the stage it guards (its hold over, shortened or not), and resumes a paused run after {@code resumeDelaySeconds}.
     */
    public record Operator(double approvalDelaySeconds, double resumeDelaySeconds) {
        public static final Operator AT_HAND = new Operator(0, 60);
    }

    /** When the run entered a stage (or paused, or completed), in simulated seconds. */
    public record StageChange(double atSeconds, String stage, String status, double budgetPerSecond) {}

    public SluiceStrategy(CompiledPlan plan, Operator operator) {
        this.plan = rehearsable(plan);
        this.operator = operator;
        long longestWindow = plan.healthGates().stream()
                .mapToLong(HealthGate::windowSeconds)
                .max()
                .orElse(60);
        this.history = new HealthHistory(Duration.ofSeconds(longestWindow + 1));
        this.services = plan.services().stream().map(CompiledPlan.Service::name).toList();
        this.admission = new RunAdmission(
                "rehearsal",
                plan.name(),
                plan,
                (service, limit) -> new LocalPermitBucket(limit, new ClockTimeMeter(clock)),
                RunAdmission.OutcomeCounters.NONE,
                new ClockTimeMeter(clock),
                clock.instant());
        this.byIndex = new ServiceAdmission[services.size()];
        this.askedSinceTick = new double[services.size()];
        for (int i = 0; i < services.size(); i++) {
            indexOf.put(services.get(i), i);
            byIndex[i] = admission.service(services.get(i));
        }
        this.state = Ramp.start(plan, clock.instant()).next();
        apply();
        stages.add(new StageChange(0, stageName(), state.status().wireName(), Ramp.budgetPerSecond(plan, state)));
    }

    @Override
    public String name() {
        return "sluice";
    }

    /** The run's stage and status changes, for the chart and the timeline. */
    public List<StageChange> stageChanges() {
        return List.copyOf(stages);
    }

    @Override
    public void admit(double[] offered, double[] admitted, SimulationView view) {
        if (view.t() == 0 && !view.services().equals(services)) {
            throw new IllegalArgumentException("the simulated clients must be the plan's services, in its order: "
                    + services + ", not " + view.services());
        }
        clock.at(view.t());
        for (int i = 0; i < offered.length; i++) {
            askedSinceTick[i] += offered[i];
        }
        if (view.t() + 1e-9 >= nextTickAt) {
            tick(view);
        }
        for (int i = 0; i < offered.length; i++) {
            admitted[i] = ask(byIndex[i], offered[i]);
        }
    }

    /**
     * A client's requests of one step, through admission: it asks for them a burst at a time (the
     * most the API grants at once) while it is granted, and takes what is left of the bucket when
     * refused. Asking again after a grant matters since buckets lend what other services leave
     * unused ({@link dev.sluice.admission.SpareBudget}): a single ask per step could never be
     * granted more than one burst.
     */
    private static double ask(ServiceAdmission svc, double count) {
        long wanted = (long) Math.ceil(count - 1e-9);
        RateLimit limit = svc.permitLimit();
        if (wanted <= 0 || limit.isClosed()) {
            return 0;
        }
        long granted = 0;
        while (granted < wanted) {
            long next = Math.min(wanted - granted, limit.burstTokens());
            ServiceAdmission.Answer answer = svc.admit(next);
            if (answer instanceof ServiceAdmission.Granted) {
                granted += next;
                continue;
            }
            long rest = Math.min(next, ((ServiceAdmission.Refused) answer).remaining());
            if (rest > 0 && svc.admit(rest) instanceof ServiceAdmission.Granted) {
                granted += rest;
            }
            break;
        }
        return Math.min(count, granted);
    }

    private void tick(SimulationView view) {
        Instant now = clock.instant();
        double elapsed = Math.max(view.dtSeconds(), view.t() - lastTickAt);
        Map<String, Double> wants = new HashMap<>();
        for (int i = 0; i < services.size(); i++) {
            wants.put(services.get(i), askedSinceTick[i] / elapsed);
            askedSinceTick[i] = 0;
        }
        lastTickAt = view.t();
        nextTickAt = view.t() + plan.policy().tickIntervalMillis() / 1000.0;

        double latencyMillis = Double.isFinite(view.latencySeconds()) ? view.latencySeconds() * 1000 : 3_600_000;
        for (HealthSource h : plan.tier().health()) {
            history.add(new HealthSample(
                    HealthSample.key(null, h.name()), now, true, view.tierErrorRatio(), latencyMillis, null));
        }
        for (int i = 0; i < services.size(); i++) {
            for (HealthSource h : plan.services().get(i).health()) {
                history.add(new HealthSample(
                        HealthSample.key(services.get(i), h.name()),
                        now,
                        true,
                        view.serviceErrorRatio()[i],
                        latencyMillis,
                        null));
            }
        }
        Map<String, GateReading> readings = GateEvaluator.evaluate(plan, history.snapshot(), now);
        if (state.status() == RunStatus.RUNNING && approvalDue(now)) {
            state = OperatorAction.promote(plan, state, "approved in the rehearsal")
                    .next();
        }
        if (state.status() == RunStatus.PAUSED && view.t() - pausedAt >= operator.resumeDelaySeconds()) {
            state = OperatorAction.resume(plan, state, "resumed in the rehearsal", now)
                    .next();
            stages.add(new StageChange(
                    view.t(), stageName(), state.status().wireName(), Ramp.budgetPerSecond(plan, state)));
        }
        int stageBefore = state.stage();
        RunStatus statusBefore = state.status();
        double budgetBefore = Ramp.budgetPerSecond(plan, state);
        state = Ramp.decide(plan, state, readings, wants, now).next();
        if (state.stage() != stageBefore
                || state.status() != statusBefore
                || Ramp.budgetPerSecond(plan, state) != budgetBefore) {
            stages.add(new StageChange(
                    view.t(), stageName(), state.status().wireName(), Ramp.budgetPerSecond(plan, state)));
            if (state.status() == RunStatus.PAUSED) {
                pausedAt = view.t();
            }
        }
        apply();
    }

    /**
     * The plan as the rehearsal can run it. The simulator models the tier's errors and latency and
     * each service's errors, not the values a {@code metric} gate reads from a source of signal
     * {@code metric} (a cache's cold reads, a queue's depth): such gates are left out of the
     * rehearsal, rather than read as unknown, which would hold the rehearsed run for ever.
     */
    static CompiledPlan rehearsable(CompiledPlan plan) {
        return plan.withoutHealthGates(g -> g instanceof HealthGate.Metric m && m.signal() == Signal.METRIC);
    }

    /** The next stage needs a manual approval, and the hold before it (plus the approver's delay) is over. */
    private boolean approvalDue(Instant now) {
        if (plan.isLastStage(state.stage()) || state.holdSkipped()) {
            return false;
        }
        Stage next = plan.stages().get(state.stage() + 1);
        if (!plan.needsApproval(next) || state.approvedStages().contains(next.name())) {
            return false;
        }
        Double step = Ramp.nextBudget(plan, state, now);
        if (step == null || Math.abs(step - plan.budgetPerSecond(state.stage() + 1)) > 1e-6) {
            return false; // the ramp is not about to enter the next stage (it searches below a ceiling)
        }
        double atStage = Duration.between(state.stageEnteredAt(), now).toMillis() / 1000.0;
        long hold = Ramp.requiredHoldSeconds(plan, state, plan.activeHealthGates(state.stage()));
        return atStage >= hold + operator.approvalDelaySeconds();
    }

    /** The committed allocations reach the buckets, as the server's admission registry applies them. */
    private void apply() {
        admission.apply(state, 1, clock.instant());
    }

    private String stageName() {
        return plan.stages().get(state.stage()).name();
    }

    /** Simulated time for the controller and the buckets. */
    private static final class SimulatedClock extends Clock {
        private Instant now = EPOCH;

        void at(double seconds) {
            now = EPOCH.plusNanos(Math.round(seconds * 1e9));
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException("simulated time has no zone");
        }
    }
}
