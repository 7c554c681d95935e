package dev.sluice.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.health.GateReading;
import dev.sluice.health.Verdict;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.HealthGate;
import dev.sluice.plan.PlanCompiler;
import dev.sluice.plan.RestorePlan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Drives a run through {@link Ramp#decide} with a hand-moved clock and scripted gate readings,
 * checking the allocation invariants on every tick and keeping the timeline.
 */
final class RunDriver {
    final CompiledPlan plan;
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    RunState state;
    final List<Transition> timeline = new ArrayList<>();
    final List<Integer> stages = new ArrayList<>();

    RunDriver(RestorePlan document) {
        this(PlanCompiler.compileStored(document));
    }

    RunDriver(CompiledPlan plan) {
        this.plan = plan;
        record(Ramp.start(plan, now));
    }

    /** One tick of {@code seconds} with every health gate reading {@code verdict}. */
    RunDriver tick(long seconds, Verdict verdict) {
        return tick(seconds, g -> verdict);
    }

    RunDriver tick(long seconds, Function<HealthGate, Verdict> verdicts) {
        now = now.plus(Duration.ofSeconds(seconds));
        Map<String, GateReading> readings = new HashMap<>();
        for (HealthGate g : plan.healthGates()) {
            Verdict v = verdicts.apply(g);
            readings.put(g.name(), new GateReading(v, v == Verdict.UNKNOWN ? null : 0.0, 0.0, "scripted " + v));
        }
        record(Ramp.decide(plan, state, readings, now));
        return this;
    }

    /** One tick with each gate reading what {@code readings} says (a value, to test margins). */
    RunDriver tickReadings(long seconds, Function<HealthGate, GateReading> readings) {
        now = now.plus(Duration.ofSeconds(seconds));
        Map<String, GateReading> byGate = new HashMap<>();
        for (HealthGate g : plan.healthGates()) {
            byGate.put(g.name(), readings.apply(g));
        }
        record(Ramp.decide(plan, state, byGate, now));
        return this;
    }

    /**
     * Ticks against a tier that holds {@code capacityPerSecond}: every gate reads red while the
     * budget in force is above it, green otherwise.
     */
    RunDriver againstTierHolding(double capacityPerSecond, int ticks) {
        for (int i = 0; i < ticks && state.status() == RunStatus.RUNNING; i++) {
            Verdict v = budget() > capacityPerSecond + 1e-9 ? Verdict.RED : Verdict.GREEN;
            tick(1, v);
        }
        return this;
    }

    /** The budget in force now. */
    double budget() {
        return Ramp.budgetPerSecond(plan, state);
    }

    RunDriver ticks(int count, long seconds, Verdict verdict) {
        for (int i = 0; i < count; i++) {
            tick(seconds, verdict);
        }
        return this;
    }

    void record(Decision d) {
        state = d.next();
        timeline.addAll(d.transitions());
        stages.add(state.stage());
        checkInvariants();
    }

    void apply(Decision d) {
        record(d);
    }

    private void checkInvariants() {
        double budget = Ramp.budgetPerSecond(plan, state);
        if (state.status() == RunStatus.RUNNING) {
            assertThat(state.totalAllocationPerSecond())
                    .as("allocations within budget at %s", now)
                    .isLessThanOrEqualTo(budget + 1e-6);
        }
        state.services().forEach((name, run) -> {
            if (run.status() == ServiceStatus.BLOCKED && !state.overrides().containsKey(name)) {
                assertThat(run.allocationPerSecond())
                        .as("blocked %s gets nothing", name)
                        .isZero();
            }
        });
    }

    /** Names of services in the order they were restored. */
    List<String> restoredOrder() {
        return timeline.stream()
                .filter(t -> t.kind() == Transition.Kind.SERVICE_RESTORED)
                .map(Transition::subject)
                .toList();
    }

    long count(Transition.Kind kind) {
        return timeline.stream().filter(t -> t.kind() == kind).count();
    }
}
