package dev.sluice.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlanCompilerTest {

    @Test
    void compilesTheReferencePlanWithDefaultsGatesByKindAndTheGraphBuiltOnce() {
        PlanCompiler.Result result = PlanCompiler.compile(PlanCodec.read(TestPlans.referenceYaml(), PlanFormat.YAML));

        assertThat(result).isInstanceOf(PlanCompiler.Compiled.class);
        CompiledPlan plan = ((PlanCompiler.Compiled) result).plan();
        assertThat(plan.services()).hasSize(18);
        assertThat(plan.tier().capacityPerSecond()).isEqualTo(10_000);
        assertThat(plan.budgetPerSecond(0)).isEqualTo(500);
        assertThat(plan.healthGates())
                .extracting(g -> g.getClass().getSimpleName())
                .containsExactly("TierErrorRate", "TierLatency", "ServiceErrorRate", "Metric");
        HealthGate.Metric cache = (HealthGate.Metric) plan.healthGate("cache-refill");
        assertThat(cache.source()).isEqualTo("kv-cache");
        assertThat(cache.service()).isNull();
        assertThat(cache.readsTier()).isTrue();
        assertThat(cache.signal()).isEqualTo(Signal.METRIC);
        assertThat(cache.hasMin()).isFalse();
        assertThat(cache.max()).isEqualTo(2000);
        assertThat(plan.source(null, "kv-cache").measure()).isEqualTo(ScrapeMeasure.RATE);
        HealthGate.TierLatency p99 = (HealthGate.TierLatency) plan.healthGate("tier-p99");
        assertThat(p99.windowSeconds()).isEqualTo(PlanDefaults.WINDOW_SECONDS);
        assertThat(p99.greenSamples()).isEqualTo(PlanDefaults.GREEN_SAMPLES);
        assertThat(plan.healthGate("access-errors").service()).isEqualTo("access");
        assertThat(plan.needsApproval(plan.stages().get(5))).isTrue();
        assertThat(plan.needsApproval(plan.stages().get(4))).isFalse();
        assertThat(plan.depth())
                .containsEntry("access", 0)
                .containsEntry("gateway", 1)
                .containsEntry("warp", 2);
        assertThat(plan.stages().get(0).burstSeconds()).isEqualTo(PlanDefaults.BURST_SECONDS);
        assertThat(plan.stages().get(0).maxSeconds()).isEmpty();
        assertThat(plan.policy().safeRatePerSecond()).isEqualTo(5);
    }

    @Test
    void anInvalidDocumentYieldsEveryViolationTheValidatorFinds() {
        RestorePlan document = TestPlans.plan("broken")
                .service("a", "b")
                .service("b", "a")
                .service("c", "nowhere")
                .build();

        PlanCompiler.Result result = PlanCompiler.compile(document);

        assertThat(result).isInstanceOf(PlanCompiler.Invalid.class);
        List<Violation> violations = ((PlanCompiler.Invalid) result).violations();
        assertThat(violations).containsExactlyElementsOf(PlanValidator.validate(document));
        assertThat(violations).extracting(Violation::rule).contains("cycle", "unknown-service");
    }

    @Test
    void aStageGivenAsARateCompilesToItsShareOfCapacity() {
        RestorePlan document = TestPlans.plan("rates")
                .capacity(2000)
                .service("a")
                .stages(new Stage("low", null, 500.0, null, 10L, null), new Stage("all", 1.0, null, null, 10L, 600L))
                .build();

        CompiledPlan plan = PlanCompiler.compileStored(document);

        assertThat(plan.stages().get(0).share()).isEqualTo(0.25);
        assertThat(plan.budgetPerSecond(0)).isEqualTo(500);
        assertThat(plan.stages().get(1).maxSeconds()).hasValue(600);
    }
}
