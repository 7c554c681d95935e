package dev.sluice.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.Gate;
import dev.sluice.plan.GateKind;
import dev.sluice.plan.HealthSource;
import dev.sluice.plan.HealthSourceKind;
import dev.sluice.plan.PlanCompiler;
import dev.sluice.plan.PlanDefaults;
import dev.sluice.plan.Priority;
import dev.sluice.plan.RestorePlan;
import dev.sluice.plan.Service;
import dev.sluice.plan.Signal;
import dev.sluice.plan.Stage;
import dev.sluice.plan.Tier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateEvaluatorTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");

    private final Map<String, List<HealthSample>> samples = new HashMap<>();

    @Test
    void errorRateIsTheWindowAverageOfTheWorstSource() {
        add("tier/probe", 25, 0.0, 10.0);
        add("tier/probe", 15, 1.0, 10.0);
        add("tier/probe", 5, 0.0, 10.0);
        add("tier/errors", 5, 0.01, null);
        add("tier/probe", 60, 1.0, 10.0); // outside the 30 s window
        GateReading r = GateEvaluator.evaluate(plan(), samples, NOW).get("errors");
        assertThat(r.verdict()).isEqualTo(Verdict.RED);
        assertThat(r.value()).isCloseTo(1.0 / 3, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(r.detail()).contains("worst: probe").contains("> 0.0500");
    }

    @Test
    void latencyGateUsesThePercentileOfProbeLatencies() {
        for (int i = 1; i <= 100; i++) {
            add("tier/probe", 30 - i * 0.25, 0.0, (double) i);
        }
        add("tier/errors", 1, 0.0, null);
        GateReading r = GateEvaluator.evaluate(plan(), samples, NOW).get("p90");
        assertThat(r.value()).isEqualTo(90.0);
        assertThat(r.verdict()).isEqualTo(Verdict.GREEN); // limit 100 ms
    }

    @Test
    void aSourceWhoseLatestSampleIsUnreadableMakesTheGateUnknown() {
        add("tier/probe", 10, 0.0, 5.0);
        samples.get("tier/probe").add(HealthSample.unreadable("tier/probe", NOW.minusSeconds(1), "timed out"));
        add("tier/errors", 1, 0.0, null);
        GateReading r = GateEvaluator.evaluate(plan(), samples, NOW).get("errors");
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.detail()).isEqualTo("probe: timed out");
    }

    @Test
    void noSampleInTheWindowIsUnknownNotGreen() {
        add("tier/probe", 45, 0.0, 5.0);
        add("tier/errors", 1, 0.0, null);
        assertThat(GateEvaluator.evaluate(plan(), samples, NOW).get("errors").verdict())
                .isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void serviceGateReadsOnlyThatServicesSources() {
        add("tier/probe", 1, 1.0, 5.0);
        add("service/api/reports", 1, 0.0, null);
        GateReading r = GateEvaluator.evaluate(plan(), samples, NOW).get("api-errors");
        assertThat(r.verdict()).isEqualTo(Verdict.GREEN);
        assertThat(r.value()).isZero();
    }

    @Test
    void prometheusLatencyValuesAreAlreadyPercentiles() {
        assertThat(GateEvaluator.percentile(List.of(5.0, 1.0, 3.0, 2.0, 4.0), 50))
                .isEqualTo(3.0);
        assertThat(GateEvaluator.percentile(List.of(7.0), 99)).isEqualTo(7.0);
    }

    private void add(String key, double secondsAgo, Double errorRatio, Double latency) {
        samples.computeIfAbsent(key, k -> new ArrayList<>())
                .add(new HealthSample(
                        key, NOW.minusMillis((long) (secondsAgo * 1000)), true, errorRatio, latency, null));
        samples.get(key).sort(java.util.Comparator.comparing(HealthSample::at));
    }

    private static CompiledPlan plan() {
        return PlanCompiler.compileStored(document());
    }

    private static RestorePlan document() {
        Tier tier = new Tier(
                "kv",
                1000.0,
                List.of(
                        new HealthSource(
                                "probe",
                                HealthSourceKind.HTTP,
                                "http://kv/healthz",
                                null,
                                null,
                                null,
                                null,
                                null,
                                null),
                        new HealthSource(
                                "errors",
                                HealthSourceKind.PROMETHEUS,
                                "http://prom:9090",
                                null,
                                null,
                                null,
                                "q",
                                Signal.ERROR_RATIO,
                                null)));
        Service api = new Service(
                "api",
                10.0,
                Priority.HIGH,
                List.of(),
                List.of(new HealthSource("reports", HealthSourceKind.PUSH, null, null, null, null, null, null, null)));
        return PlanDefaults.apply(new RestorePlan(
                "p",
                null,
                tier,
                List.of(api),
                List.of(new Stage("full", 1.0, null, null, 10L, null)),
                List.of(
                        new Gate("errors", GateKind.TIER_ERROR_RATE, null, 0.05, null, null, 30L, null, null, null),
                        new Gate("p90", GateKind.TIER_LATENCY, null, null, 100.0, 90.0, 30L, null, null, null),
                        new Gate(
                                "api-errors",
                                GateKind.SERVICE_ERROR_RATE,
                                "api",
                                0.05,
                                null,
                                null,
                                30L,
                                null,
                                null,
                                null)),
                null));
    }
}
