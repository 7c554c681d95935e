package dev.sluice.control;

import dev.sluice.health.GateReading;
import dev.sluice.health.Verdict;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.FailurePolicy;
import dev.sluice.plan.Gate;
import dev.sluice.plan.GateKind;
import dev.sluice.plan.HealthGate;
import dev.sluice.plan.HealthSource;
import dev.sluice.plan.HealthSourceKind;
import dev.sluice.plan.PlanCompiler;
import dev.sluice.plan.Priority;
import dev.sluice.plan.RestorePlan;
import dev.sluice.plan.Service;
import dev.sluice.plan.Stage;
import dev.sluice.plan.TestPlans;
import dev.sluice.plan.Tier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One controller tick ({@link Ramp#decide}) for the reference plan (18 services) and for a
 * generated plan of 1,000 services (a random DAG, every priority, a service error gate per tenth
 * service), mid-run: half the services restored, the rest admitting or blocked, every service
 * asking for more than its demand (so the allocator's backlog pass runs too).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TickBenchmark {
    @Param({"reference", "generated-1000"})
    public String plan;

    private CompiledPlan compiled;
    private RunState state;
    private Map<String, GateReading> readings;
    private Map<String, Double> wants;
    private Instant now;

    @Setup
    public void setUp() {
        compiled = PlanCompiler.compileStored(plan.equals("reference") ? TestPlans.reference() : generated(1000));
        now = Instant.parse("2026-01-01T00:00:00Z");
        readings = new HashMap<>();
        for (HealthGate g : compiled.healthGates()) {
            readings.put(g.name(), new GateReading(Verdict.GREEN, 0.001, g.threshold(), "green"));
        }
        wants = new HashMap<>();
        compiled.services().forEach(s -> wants.put(s.name(), s.demandPerSecond() * 1.5));
        state = Ramp.start(compiled, now).next();
        // Into the middle of the run: ticks until half the services are restored (or a cap).
        for (int i = 0; i < 5_000 && restored() < compiled.services().size() / 2; i++) {
            now = now.plusSeconds(1);
            state = Ramp.decide(compiled, state, readings, wants, now).next();
        }
        now = now.plusSeconds(1);
    }

    private long restored() {
        return state.services().values().stream()
                .filter(r -> r.status() == ServiceStatus.RESTORED)
                .count();
    }

    @Benchmark
    public Decision tick() {
        return Ramp.decide(compiled, state, readings, wants, now);
    }

    /** A valid plan of {@code n} services: a random DAG (seeded), demands summing to 80% of capacity. */
    static RestorePlan generated(int n) {
        Random random = new Random(42);
        Priority[] priorities = Priority.values();
        List<Service> services = new ArrayList<>();
        List<Gate> gates = new ArrayList<>();
        gates.add(new Gate("tier-errors", GateKind.TIER_ERROR_RATE, null, 0.02, null, null, 30L, 3, 2, null));
        gates.add(new Gate("tier-p99", GateKind.TIER_LATENCY, null, null, 250.0, 99.0, 30L, 3, 2, null));
        for (int i = 0; i < n; i++) {
            List<String> deps = new ArrayList<>();
            for (int d = 0; d < 3 && i > 0; d++) {
                if (random.nextInt(3) == 0) {
                    String dep = "svc-" + random.nextInt(i);
                    if (!deps.contains(dep)) {
                        deps.add(dep);
                    }
                }
            }
            List<HealthSource> health = i % 10 == 0
                    ? List.of(new HealthSource(
                            "reports", HealthSourceKind.PUSH, null, null, null, null, null, null, null))
                    : List.of();
            services.add(new Service("svc-" + i, 80.0, priorities[random.nextInt(priorities.length)], deps, health));
            if (i % 10 == 0) {
                gates.add(new Gate(
                        "svc-" + i + "-errors",
                        GateKind.SERVICE_ERROR_RATE,
                        "svc-" + i,
                        0.05,
                        null,
                        null,
                        30L,
                        3,
                        2,
                        null));
            }
        }
        return new RestorePlan(
                "generated",
                null,
                new Tier(
                        "tier",
                        100_000.0,
                        List.of(new HealthSource(
                                "reports", HealthSourceKind.PUSH, null, null, null, null, null, null, null))),
                services,
                List.of(
                        new Stage("s1", 0.05, null, null, 5L, null),
                        new Stage("s2", 0.25, null, null, 5L, null),
                        new Stage("s3", 0.5, null, null, 5L, null),
                        new Stage("s4", 1.0, null, null, 5L, null)),
                gates,
                new FailurePolicy(null, null, null, null, null, null));
    }
}
