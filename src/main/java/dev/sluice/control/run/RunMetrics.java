package dev.sluice.control.run;

import dev.sluice.control.Ramp;
import dev.sluice.control.RunState;
import dev.sluice.control.Transition;
import dev.sluice.health.Verdict;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.HealthGate;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run gauges and counters, published at {@code /q/metrics}: {@code sluice_run_stage},
 * {@code sluice_run_budget_per_second}, {@code sluice_run_allocation_per_second{service}},
 * {@code sluice_run_gate_status{gate}} (1 passed, 0 settling, -1 tripped, -2 unknown),
 * {@code sluice_run_transitions_total{kind}} and, from the health reader,
 * {@code sluice_health_read_failures_total}.
 */
@ApplicationScoped
class RunMetrics {
    @Inject
    MeterRegistry registry;

    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

    void transition(Transition.Kind kind) {
        registry.counter("sluice.run.transitions", "kind", kind.wireName()).increment();
    }

    void observe(String runId, String plan, CompiledPlan spec, RunState state) {
        if (!state.status().isActive()) {
            forget(runId);
            return;
        }
        gauge("sluice.run.stage", state.stage(), "run", runId, "plan", plan);
        gauge("sluice.run.budget.per.second", Ramp.budgetPerSecond(spec, state), "run", runId, "plan", plan);
        state.services()
                .forEach((service, run) -> gauge(
                        "sluice.run.allocation.per.second",
                        run.allocationPerSecond(),
                        "run",
                        runId,
                        "plan",
                        plan,
                        "service",
                        service));
        for (HealthGate g : spec.healthGates()) {
            RunState.GateTrack t = state.gates().get(g.name());
            double status = t == null || t.last() == null || t.last().verdict() == Verdict.UNKNOWN
                    ? -2
                    : t.greenStreak() >= g.greenSamples() ? 1 : t.redStreak() >= g.redSamples() ? -1 : 0;
            gauge("sluice.run.gate.status", status, "run", runId, "plan", plan, "gate", g.name());
        }
    }

    /** Drops a finished run's gauges, so they do not pile up over the life of the process. */
    private void forget(String runId) {
        registry.getMeters().stream()
                .filter(m -> runId.equals(m.getId().getTag("run")))
                .toList()
                .forEach(registry::remove);
        gauges.keySet().removeIf(k -> k.contains("|run|" + runId + "|"));
    }

    private void gauge(String name, double value, String... tags) {
        String key = name + "|" + String.join("|", tags) + "|";
        gauges.computeIfAbsent(key, k -> {
                    AtomicLong bits = new AtomicLong();
                    Gauge.builder(name, bits, b -> Double.longBitsToDouble(b.get()))
                            .tags(tags)
                            .register(registry);
                    return bits;
                })
                .set(Double.doubleToLongBits(value));
    }
}
