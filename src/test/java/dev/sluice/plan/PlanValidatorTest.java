package dev.sluice.plan;

import static dev.sluice.plan.TestPlans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class PlanValidatorTest {

    @Test
    void referencePlanIsValid() {
        assertThat(PlanValidator.validate(TestPlans.reference())).isEmpty();
    }

    @Test
    void unknownDependencyIsNamedWithASuggestion() {
        RestorePlan p = plan("p")
                .service("gateway")
                .service("access")
                .service("warp", "access", "gatewy")
                .build();
        assertThat(PlanValidator.validate(p))
                .containsExactly(new Violation(
                        "/services/2/dependsOn/1",
                        "unknown-service",
                        "unknown service \"gatewy\" (did you mean \"gateway\"?)"));
    }

    @Test
    void cycleErrorNamesTheCyclePath() {
        RestorePlan p = plan("p")
                .service("access", "warp")
                .service("gateway", "access")
                .service("warp", "gateway")
                .build();
        assertThat(PlanValidator.validate(p))
                .containsExactly(new Violation(
                        "/services/1/dependsOn/0", "cycle", "dependency cycle: access -> warp -> gateway -> access"));
    }

    @Test
    void overlappingCyclesAreEachReported() {
        RestorePlan p = plan("p")
                .service("access", "warp")
                .service("gateway", "access")
                .service("warp", "access", "gateway")
                .build();
        assertThat(PlanValidator.validate(p))
                .extracting(Violation::message)
                .containsExactly(
                        "dependency cycle: access -> warp -> access",
                        "dependency cycle: access -> warp -> gateway -> access");
    }

    @Test
    void selfDependencyIsItsOwnRule() {
        RestorePlan p = plan("p").service("warp", "warp").build();
        assertThat(PlanValidator.validate(p))
                .containsExactly(new Violation(
                        "/services/0/dependsOn/0",
                        "self-dependency",
                        "service \"warp\" depends on itself (warp -> warp)"));
    }

    @Test
    void duplicateServiceIsReported() {
        RestorePlan p = plan("p").service("a").service("a").build();
        assertThat(rules(p)).containsExactly("/services/1/name duplicate");
    }

    @Test
    void everyViolationIsCollectedNotJustTheFirst() {
        RestorePlan p = plan("Bad_Name")
                .capacity(-1)
                .service("a", "nope")
                .service("b", "b")
                .stages(new Stage("s", 0.5, null, null, 0L, null))
                .build();
        assertThat(rules(p))
                .containsExactlyInAnyOrder(
                        "/name dns-label",
                        "/tier/capacityPerSecond positive",
                        "/services/0/dependsOn/0 unknown-service",
                        "/services/1/dependsOn/0 self-dependency",
                        "/stages/0 final-stage-full",
                        "/stages/0/holdSeconds range");
    }

    @Test
    void planWithoutServicesOrStagesIsRejected() {
        RestorePlan p = new RestorePlan("p", null, new Tier("t", 10.0, null), List.of(), List.of(), null, null);
        assertThat(rules(p)).containsExactlyInAnyOrder("/services min-items", "/stages min-items");
        RestorePlan missing = new RestorePlan("p", null, null, null, null, null, null);
        assertThat(rules(missing))
                .containsExactlyInAnyOrder("/tier required", "/services required", "/stages required");
    }

    @Test
    void stagesMustStrictlyIncreaseAndEndAtFullAdmission() {
        RestorePlan p = plan("p")
                .service("a")
                .stages(
                        new Stage("one", 0.5, null, null, 10L, null),
                        new Stage("two", 0.5, null, null, 10L, null),
                        new Stage("three", null, 100.0, null, 10L, null), // 100 of 1000/s = 0.1, a step down
                        new Stage("four", 0.9, null, null, 10L, null))
                .build();
        assertThat(rules(p))
                .containsExactly("/stages/1 increasing", "/stages/2 increasing", "/stages/3 final-stage-full");
    }

    @Test
    void absoluteRateStageEqualToCapacityIsFullAdmission() {
        RestorePlan p = plan("p")
                .service("a")
                .stages(new Stage("low", null, 100.0, null, 10L, null), new Stage("all", null, 1000.0, null, 10L, null))
                .build();
        assertThat(PlanValidator.validate(p)).isEmpty();
    }

    @Test
    void stageNeedsExactlyOneOfShareAndRate() {
        RestorePlan p = plan("p")
                .service("a")
                .stages(new Stage("both", 0.5, 500.0, null, 10L, null), new Stage("none", null, null, null, 10L, null))
                .build();
        assertThat(rules(p)).containsExactly("/stages/0 one-of", "/stages/1 one-of");
    }

    @Test
    void numbersMustBePositiveAndFinite() {
        RestorePlan p = plan("p")
                .capacity(Double.POSITIVE_INFINITY)
                .service("a", 0, Priority.NORMAL)
                .service("b", Double.NaN, Priority.NORMAL)
                .stages(new Stage("s", Double.NaN, null, -1.0, 10L, null))
                .build();
        assertThat(rules(p))
                .containsExactlyInAnyOrder(
                        "/tier/capacityPerSecond finite",
                        "/services/0/demandPerSecond positive",
                        "/services/1/demandPerSecond finite",
                        "/stages/0/share finite",
                        "/stages/0/burstSeconds positive");
    }

    @Test
    void durationsOutOfRangeAreRejected() {
        RestorePlan p = plan("p")
                .service("a")
                .stages(new Stage("s", 1.0, null, null, 100_000L, 700_000L))
                .build();
        assertThat(rules(p)).containsExactly("/stages/0/holdSeconds range", "/stages/0/maxSeconds range");
        RestorePlan fast = with(
                TestPlans.reference(),
                r -> new RestorePlan(
                        r.name(),
                        null,
                        r.tier(),
                        r.services(),
                        r.stages(),
                        r.gates(),
                        new FailurePolicy(null, 0, null, -1.0, 10L, 0L)));
        assertThat(rules(fast))
                .containsExactlyInAnyOrder(
                        "/policy/stepBacksBeforePause range",
                        "/policy/safeRatePerSecond range",
                        "/policy/tickIntervalMillis range",
                        "/policy/retryAfterSeconds range");
    }

    @Test
    void capacityBeyondWhatBucketsCanRefillIsRejected() {
        RestorePlan p = plan("p").capacity(2e9).service("a").build();
        assertThat(rules(p)).containsExactly("/tier/capacityPerSecond range");
    }

    @Test
    void totalDemandAboveCapacityCouldNeverFinish() {
        RestorePlan p = plan("p")
                .capacity(100)
                .service("a", 60, Priority.HIGH)
                .service("b", 50, Priority.LOW)
                .build();
        assertThat(PlanValidator.validate(p))
                .containsExactly(new Violation(
                        "/services",
                        "capacity",
                        "total demand 110/s exceeds tier capacity 100/s: the plan could never finish"));
    }

    @Test
    void tooManyServicesAndStagesAreRejected() {
        TestPlans.Builder b = plan("p").capacity(1e9);
        for (int i = 0; i <= PlanLimits.MAX_SERVICES; i++) {
            b.service("s" + i);
        }
        List<Stage> stages = new ArrayList<>();
        for (int i = 1; i <= PlanLimits.MAX_STAGES + 1; i++) {
            stages.add(new Stage("st" + i, i / (double) (PlanLimits.MAX_STAGES + 1), null, null, 10L, null));
        }
        RestorePlan p = b.stages(stages.toArray(Stage[]::new)).build();
        assertThat(rules(p)).containsExactly("/services max-items", "/stages max-items");
    }

    @Test
    void namesMustBeDnsLabels() {
        RestorePlan p = plan("p")
                .service("Access")
                .service("-lead")
                .service("a".repeat(64))
                .service("ok-1")
                .build();
        assertThat(rules(p))
                .containsExactly(
                        "/services/0/name dns-label", "/services/1/name dns-label", "/services/2/name dns-label");
    }

    @Test
    void gateFieldsMustFitTheirKind() {
        RestorePlan ref = TestPlans.reference();
        RestorePlan p = with(
                ref,
                r -> new RestorePlan(
                        r.name(),
                        null,
                        r.tier(),
                        r.services(),
                        r.stages(),
                        List.of(
                                new Gate(
                                        "g1", GateKind.TIER_ERROR_RATE, null, 1.5, 100.0, null, null, null, null, null),
                                new Gate(
                                        "g2",
                                        GateKind.SERVICE_ERROR_RATE,
                                        "acess",
                                        0.1,
                                        null,
                                        null,
                                        0L,
                                        0,
                                        null,
                                        "nowhere"),
                                new Gate("g3", GateKind.TIER_LATENCY, null, null, null, 120.0, null, null, null, null),
                                new Gate(
                                        "g3",
                                        GateKind.SERVICE_ERROR_RATE,
                                        "gateway",
                                        0.1,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null)),
                        r.policy()));
        assertThat(rules(p))
                .containsExactly(
                        "/gates/0/maxErrorRatio range",
                        "/gates/0/maxLatencyMillis not-applicable",
                        "/gates/1/service unknown-service",
                        "/gates/1/beforeStage unknown-stage",
                        "/gates/1/windowSeconds range",
                        "/gates/1/greenSamples range",
                        "/gates/2/maxLatencyMillis required",
                        "/gates/2/percentile range",
                        "/gates/3/name duplicate",
                        "/gates/3/kind no-health-source");
    }

    @Test
    void healthSourcesNeedTheFieldsOfTheirKind() {
        RestorePlan ref = TestPlans.reference();
        Tier tier = new Tier(
                "kv",
                10000.0,
                List.of(
                        new HealthSource("h1", HealthSourceKind.HTTP, "ftp://x", 99, null, null, "up", null, null),
                        new HealthSource(
                                "h2",
                                HealthSourceKind.PROMETHEUS,
                                "http://prom:9090",
                                null,
                                null,
                                null,
                                null,
                                null,
                                null),
                        new HealthSource("h3", HealthSourceKind.PUSH, "http://x", null, null, null, null, null, 0L)));
        RestorePlan p =
                with(ref, r -> new RestorePlan(r.name(), null, tier, r.services(), r.stages(), List.of(), r.policy()));
        assertThat(rules(p))
                .containsExactly(
                        "/tier/health/0/url url",
                        "/tier/health/0/expectStatus range",
                        "/tier/health/0/query not-applicable",
                        "/tier/health/1/query required",
                        "/tier/health/1/signal required",
                        "/tier/health/2/staleAfterSeconds range",
                        "/tier/health/2/url not-applicable");
    }

    private static RestorePlan with(RestorePlan plan, UnaryOperator<RestorePlan> change) {
        return change.apply(plan);
    }

    private static List<String> rules(RestorePlan plan) {
        return PlanValidator.validate(plan).stream()
                .map(v -> v.pointer() + " " + v.rule())
                .toList();
    }
}
