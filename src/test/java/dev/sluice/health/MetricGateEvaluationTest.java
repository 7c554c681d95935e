package dev.sluice.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.PlanCodec;
import dev.sluice.plan.PlanCompiler;
import dev.sluice.plan.PlanFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metric gates: the mean of one source's values over the window, green within [min, max]. */
class MetricGateEvaluationTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
    private static final CompiledPlan PLAN =
            PlanCompiler.compileStored(PlanCodec.read("""
            name: metrics
            tier:
              name: kv
              capacityPerSecond: 1000
              health:
                - {name: cold-reads, kind: scrape, url: "http://kv/metrics", metric: kv_cold_reads_total, measure: rate, signal: metric}
                - {name: stats, kind: json, url: "http://kv/stats", pointer: /errors, signal: error-ratio}
            services:
              - name: queues
                demandPerSecond: 100
                health:
                  - {name: depth, kind: json, url: "http://q/stats", pointer: /depth, signal: metric}
            stages:
              - {name: half, share: 0.5}
              - {name: full, share: 1.0}
            gates:
              - {name: cold, kind: metric, source: cold-reads, max: 2000, windowSeconds: 30}
              - {name: hits, kind: metric, source: cold-reads, min: 100, max: 300, windowSeconds: 30}
              - {name: floor, kind: metric, source: cold-reads, min: 50}
              - {name: depth, kind: metric, service: queues, source: depth, max: 1000}
              - {name: errors, kind: tier-error-rate, maxErrorRatio: 0.05}
              - {name: error-range, kind: metric, source: stats, max: 0.05}
            """.getBytes(StandardCharsets.UTF_8), PlanFormat.YAML));

    private final Map<String, List<HealthSample>> samples = new HashMap<>();

    @Test
    void theReadingIsTheWindowMeanOfTheSourcesValues() {
        metric("tier/cold-reads", 25, 1000.0);
        metric("tier/cold-reads", 15, 3000.0);
        metric("tier/cold-reads", 5, 2300.0);
        metric("tier/cold-reads", 45, 90000.0); // outside the 30 s window
        GateReading r = read("cold");
        assertThat(r.value()).isCloseTo(2100.0, within(1e-9));
        assertThat(r.verdict()).isEqualTo(Verdict.RED);
        assertThat(r.threshold()).isEqualTo(2000.0);
        assertThat(r.detail()).isEqualTo("cold-reads 2100 > max 2000 over 30 s (mean of 3)");
    }

    @Test
    void greenWithinTheRangeBothBoundsIncluded() {
        metric("tier/cold-reads", 1, 100.0);
        assertThat(read("hits").verdict()).isEqualTo(Verdict.GREEN);
        assertThat(read("hits").detail()).isEqualTo("cold-reads 100 within [100, 300] over 30 s (mean of 1)");
        assertThat(read("hits").threshold()).as("the nearer bound").isEqualTo(100.0);
        assertThat(read("floor").detail()).isEqualTo("cold-reads 100 >= 50 over 30 s (mean of 1)");
        assertThat(read("cold").detail()).isEqualTo("cold-reads 100 <= 2000 over 30 s (mean of 1)");
    }

    @Test
    void belowTheMinimumIsRed() {
        metric("tier/cold-reads", 1, 40.5);
        GateReading r = read("floor");
        assertThat(r.verdict()).isEqualTo(Verdict.RED);
        assertThat(r.detail()).isEqualTo("cold-reads 40.5 < min 50 over 30 s (mean of 1)");
        assertThat(read("hits").verdict()).isEqualTo(Verdict.RED);
    }

    @Test
    void anUnreadableLatestSampleMakesTheGateUnknown() {
        metric("tier/cold-reads", 10, 100.0);
        samples.get("tier/cold-reads")
                .add(HealthSample.unreadable("tier/cold-reads", NOW.minusSeconds(1), "answer larger than 1024 bytes"));
        GateReading r = read("cold");
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.detail()).isEqualTo("cold-reads: answer larger than 1024 bytes");
    }

    @Test
    void samplesWithoutAValueAreSkippedButAWindowWithoutAnyIsUnknown() {
        metric("tier/cold-reads", 20, 500.0);
        metric("tier/cold-reads", 1, null);
        assertThat(read("cold").value()).isEqualTo(500.0);
        samples.clear();
        metric("tier/cold-reads", 1, null);
        assertThat(read("cold").verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(read("cold").detail()).isEqualTo("cold-reads: no value in the last 30 s");
        samples.clear();
        assertThat(read("cold").detail()).isEqualTo("cold-reads: no sample in the last 30 s");
    }

    @Test
    void aServiceGateReadsThatServicesSource() {
        metric("service/queues/depth", 1, 1500.0);
        GateReading r = read("depth");
        assertThat(r.verdict()).isEqualTo(Verdict.RED);
        assertThat(PLAN.healthGate("depth").readsTier()).isFalse();
    }

    @Test
    void aMetricGateOnAnErrorRatioSourceReadsItsErrorRatioAndSoDoesTheErrorGate() {
        samples.computeIfAbsent("tier/stats", k -> new ArrayList<>())
                .add(HealthSample.of("tier/stats", NOW.minusSeconds(1), dev.sluice.plan.Signal.ERROR_RATIO, 0.01));
        metric("tier/cold-reads", 1, 5.0);
        assertThat(read("error-range").value()).isEqualTo(0.01);
        GateReading errors = read("errors");
        assertThat(errors.verdict()).isEqualTo(Verdict.GREEN);
        assertThat(errors.detail())
                .as("the tier error gate reads the error-ratio source, not the metric one")
                .contains("worst: stats");
    }

    private GateReading read(String gate) {
        return GateEvaluator.evaluate(PLAN, samples, NOW).get(gate);
    }

    private void metric(String key, double secondsAgo, Double value) {
        samples.computeIfAbsent(key, k -> new ArrayList<>())
                .add(new HealthSample(key, NOW.minusMillis((long) (secondsAgo * 1000)), true, null, null, value, null));
        samples.get(key).sort(Comparator.comparing(HealthSample::at));
    }
}
