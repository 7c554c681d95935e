package dev.sluice.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.plan.PlanCodec;
import dev.sluice.plan.PlanFormat;
import dev.sluice.plan.PlanParseException;
import dev.sluice.plan.Violation;
import dev.sluice.sim.ScenarioSpec.ClientsSpec;
import dev.sluice.sim.ScenarioSpec.GridSpec;
import dev.sluice.sim.ScenarioSpec.PointSpec;
import dev.sluice.sim.ScenarioSpec.RetrySpec;
import dev.sluice.sim.ScenarioSpec.ServiceClientSpec;
import dev.sluice.sim.ScenarioSpec.SimulationSpec;
import dev.sluice.sim.ScenarioSpec.TierSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScenarioTest {
    private static final dev.sluice.plan.RestorePlan PLAN =
            ScenarioFiles.read(ReferenceComparisonTest.REFERENCE).plan();

    private static ScenarioSpec spec(TierSpec tier, ClientsSpec clients, SimulationSpec simulation, GridSpec grid) {
        return new ScenarioSpec("t", null, null, 600.0, tier, clients, simulation, null, grid);
    }

    @Test
    void defaultsFillEverythingLeftOut() {
        Scenario s = Scenario.build(new ScenarioSpec(null, null, null, null, null, null, null, null, null), PLAN);
        assertThat(s.name()).isEqualTo(PLAN.name());
        assertThat(s.outageSeconds()).isEqualTo(Scenario.DEFAULT_OUTAGE_SECONDS);
        assertThat(s.clients()).hasSize(PLAN.services().size());
        assertThat(s.clients().get(0).retry()).isEqualTo(Scenario.DEFAULT_RETRY);
        assertThat(s.settings().retryAfterSeconds())
                .isEqualTo((double) PLAN.policy().retryAfterSeconds());
        assertThat(s.settings().horizonSeconds()).isGreaterThanOrEqualTo(Scenario.MIN_AUTO_HORIZON_SECONDS);
        assertThat(s.strategies()).extracting(AdmissionStrategy::name).contains("sluice", "oracle", "linear-ramp-900s");
    }

    @Test
    void backlogIsDemandDuringTheOutageTimesWhatClientsKeep() {
        Scenario s = Scenario.build(
                spec(
                        null,
                        new ClientsSpec(
                                null,
                                null,
                                null,
                                0.01,
                                null,
                                null,
                                Map.of("queues", new ServiceClientSpec(null, null, null, 0.5, null, null))),
                        null,
                        null),
                PLAN);
        ClientProfile access = s.clients().stream()
                .filter(c -> c.name().equals("access"))
                .findFirst()
                .orElseThrow();
        ClientProfile queues = s.clients().stream()
                .filter(c -> c.name().equals("queues"))
                .findFirst()
                .orElseThrow();
        assertThat(access.backlog()).isEqualTo(1200 * 600 * 0.01);
        assertThat(queues.backlog()).isEqualTo(500 * 600 * 0.5);
    }

    @Test
    void everyInvalidFieldIsReportedAtOnceWithItsPointerAndRule() {
        ScenarioSpec bad = spec(
                new TierSpec(0.0, -5.0, null, null, null),
                new ClientsSpec(
                        0.0,
                        new RetrySpec("sometimes", 0, null, null, null, null, null),
                        null,
                        2.0,
                        null,
                        null,
                        Map.of("nosuch", new ServiceClientSpec(null, null, null, null, null, null))),
                new SimulationSpec(7L, 10.0, null, null, null),
                null);
        assertThatThrownBy(() -> Scenario.build(bad, PLAN))
                .isInstanceOfSatisfying(
                        Scenario.InvalidScenarioException.class,
                        e -> assertThat(e.violations())
                                .extracting(Violation::pointer)
                                .contains(
                                        "/tier/startShare",
                                        "/tier/rampSeconds",
                                        "/clients/timeoutSeconds",
                                        "/clients/retry/policy",
                                        "/clients/backlogShare",
                                        "/clients/services/nosuch",
                                        "/simulation/stepMillis",
                                        "/simulation/horizonSeconds"));
    }

    private static ScenarioSpec.TierSpec scheduled(List<PointSpec> points) {
        return new TierSpec(null, null, null, points, null);
    }

    private static List<Violation> violations(ScenarioSpec spec) {
        try {
            Scenario.grid(spec, PLAN);
        } catch (Scenario.InvalidScenarioException e) {
            return e.violations();
        }
        throw new AssertionError("the scenario was accepted");
    }

    @Test
    void newFieldsDefaultToTheModelAsItWas() {
        Scenario s = Scenario.build(new ScenarioSpec(null, null, null, null, null, null, null, null, null), PLAN);
        assertThat(s.tier().actualCapacityFactor()).isEqualTo(1.0);
        assertThat(s.tier().shape())
                .isEqualTo(new TierProfile.LinearRamp(Scenario.DEFAULT_START_SHARE, Scenario.DEFAULT_RAMP_SECONDS));
        assertThat(s.clients().get(0).retry().jitter()).isTrue();
        assertThat(s.clients().get(0).patienceSeconds()).isEqualTo(Scenario.DEFAULT_PATIENCE_SECONDS);
    }

    @Test
    void aTierCanFollowAScheduleWarmUpOrHoldLessThanThePlanSays() {
        Scenario flapping = Scenario.build(
                spec(
                        new TierSpec(
                                null,
                                null,
                                null,
                                List.of(
                                        new PointSpec(0.0, 1.0),
                                        new PointSpec(60.0, 1.0),
                                        new PointSpec(60.0, 0.3),
                                        new PointSpec(120.0, 1.0)),
                                0.6),
                        null,
                        null,
                        null),
                PLAN);
        assertThat(flapping.tier().capacityAt(30)).isCloseTo(6000, within(1e-6));
        assertThat(flapping.tier().capacityAt(60)).isCloseTo(1800, within(1e-6));
        assertThat(flapping.tier().capacityAt(90)).isCloseTo(3900, within(1e-6));
        // Sluice and the baselines are configured from the plan's figure, not the real capacity.
        assertThat(flapping.tier().healthyPerSecond()).isEqualTo(10_000);
        Scenario warming = Scenario.build(spec(new TierSpec(0.5, null, 60.0, null, null), null, null, null), PLAN);
        assertThat(warming.tier().shape()).isEqualTo(new TierProfile.WarmUp(0.5, 60));
        Scenario lockStep = Scenario.build(
                spec(
                        null,
                        new ClientsSpec(
                                null,
                                new RetrySpec("backoff", null, null, null, null, null, false),
                                null,
                                null,
                                null,
                                5.0,
                                null),
                        null,
                        null),
                PLAN);
        assertThat(lockStep.clients().get(0).retry().jitter()).isFalse();
        assertThat(lockStep.clients().get(0).patienceSeconds()).isEqualTo(5.0);
    }

    @Test
    void everyNewFieldIsValidatedWithItsPointerAndRule() {
        ScenarioSpec bad = spec(
                new TierSpec(
                        0.5,
                        null,
                        30.0,
                        List.of(new PointSpec(5.0, 0.5), new PointSpec(2.0, 1.5), new PointSpec(null, 1.0)),
                        0.0),
                new ClientsSpec(
                        null,
                        new RetrySpec("immediate", null, null, null, null, null, false),
                        null,
                        null,
                        null,
                        0.0,
                        Map.of("queues", new ServiceClientSpec(null, null, null, null, null, 100_000.0))),
                null,
                null);
        assertThat(violations(bad))
                .extracting(v -> v.pointer() + " " + v.rule())
                .contains(
                        "/tier/startShare not-with-schedule",
                        "/tier/warmUpSeconds not-with-schedule",
                        "/tier/schedule/0/atSeconds starts-at-zero",
                        "/tier/schedule/1/atSeconds non-decreasing",
                        "/tier/schedule/1/share range",
                        "/tier/schedule/2/atSeconds required",
                        "/tier/actualCapacityFactor range",
                        "/clients/retry/jitter backoff-only",
                        "/clients/patienceSeconds range",
                        "/clients/services/queues/patienceSeconds range");
        assertThat(violations(spec(new TierSpec(null, 60.0, 30.0, null, null), null, null, null)))
                .extracting(v -> v.pointer() + " " + v.rule())
                .containsExactly("/tier/rampSeconds not-with-warm-up");
        assertThat(violations(spec(scheduled(List.of()), null, null, null)))
                .extracting(v -> v.pointer() + " " + v.rule())
                .containsExactly("/tier/schedule non-empty");
        assertThat(violations(spec(new TierSpec(null, null, 0.5, null, null), null, null, null)))
                .extracting(v -> v.pointer() + " " + v.rule())
                .containsExactly("/tier/warmUpSeconds range");
    }

    @Test
    void gridTiersAndRetriesAreValidatedWhereTheyAreWritten() {
        GridSpec grid = new GridSpec(
                null,
                null,
                List.of(new TierSpec(1.0, 0.0, null, null, null), new TierSpec(null, null, null, null, 9.0)),
                List.of(new RetrySpec("budget", null, null, null, null, null, true)));
        assertThat(violations(spec(null, null, null, grid)))
                .extracting(v -> v.pointer() + " " + v.rule())
                .containsExactly("/grid/tiers/1/actualCapacityFactor range", "/grid/retries/0/jitter backoff-only");
    }

    @Test
    void aScenarioTooLargeToSimulateQuicklyIsRefused() {
        ScenarioSpec huge = spec(null, null, new SimulationSpec(10L, 21600.0, null, null, null), null);
        assertThatThrownBy(() -> Scenario.build(huge, PLAN))
                .isInstanceOfSatisfying(
                        Scenario.InvalidScenarioException.class,
                        e -> assertThat(e.violations())
                                .extracting(Violation::rule)
                                .contains("max-steps"));
    }

    @Test
    void aGridIsEveryCombinationWithDemandsScaledToTheLoad() {
        GridSpec grid = new GridSpec(
                List.of(0.3, 0.9),
                List.of(600.0, 9000.0),
                List.of(new TierSpec(1.0, 0.0, null, null, null), new TierSpec(0.2, 300.0, null, null, null)),
                List.of(
                        new RetrySpec("immediate", 3, null, null, null, null, null),
                        new RetrySpec("adaptive", null, null, null, null, null, null)));
        List<Scenario> scenarios = Scenario.grid(spec(null, null, null, grid), PLAN);
        assertThat(scenarios).hasSize(16);
        assertThat(scenarios).extracting(Scenario::name).doesNotHaveDuplicates();
        Scenario first = scenarios.get(0);
        assertThat(first.totalDemandPerSecond()).isCloseTo(0.3 * 10_000, org.assertj.core.api.Assertions.within(1e-6));
        // The plan Sluice runs is scaled too: its demands are the clients'.
        assertThat(first.plan().services().get(0).demandPerSecond())
                .isEqualTo(first.clients().get(0).demandPerSecond());
        assertThat(scenarios.get(scenarios.size() - 1).clients().get(0).retry().kind())
                .isEqualTo(RetryPolicy.Kind.ADAPTIVE);
    }

    @Test
    void everyExampleScenarioIsValid() throws Exception {
        List<java.nio.file.Path> files;
        try (var listing = java.nio.file.Files.list(java.nio.file.Path.of("examples/scenarios"))) {
            files = listing.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().endsWith("-plan.yaml"))
                    .sorted()
                    .toList();
        }
        assertThat(files)
                .extracting(f -> f.getFileName().toString())
                .contains(
                        "deep-chain.yaml",
                        "flapping.yaml",
                        "grid.yaml",
                        "grid-fast.yaml",
                        "misstated-capacity.yaml",
                        "reference.yaml",
                        "whole-at-once.yaml");
        for (java.nio.file.Path f : files) {
            ScenarioFiles.Loaded loaded = ScenarioFiles.read(f);
            if (f.getFileName().toString().equals("patient-clients.yaml")) {
                // The example of a scenario over the server's memory budget: valid with more.
                assertThatThrownBy(() -> Scenario.grid(loaded.spec(), loaded.plan()))
                        .isInstanceOfSatisfying(
                                Scenario.InvalidScenarioException.class,
                                e -> assertThat(e.overMemoryBudget()).isTrue());
                assertThat(Scenario.grid(loaded.spec(), loaded.plan(), 2L << 30))
                        .hasSize(1);
                continue;
            }
            assertThat(Scenario.grid(loaded.spec(), loaded.plan()))
                    .as(f.toString())
                    .isNotEmpty();
        }
        ScenarioFiles.Loaded misstated =
                ScenarioFiles.read(java.nio.file.Path.of("examples/scenarios/misstated-capacity.yaml"));
        Scenario s = Scenario.grid(misstated.spec(), misstated.plan()).get(0);
        assertThat(s.name()).isEqualTo("misstated-capacity");
        assertThat(s.tier().actualHealthyPerSecond()).isEqualTo(6000);
        assertThat(s.totalDemandPerSecond()).isCloseTo(5000, within(1e-6));
    }

    @Test
    void scenarioDocumentsAreReadAsStrictlyAsPlans() {
        byte[] unknownField = "outageSeconds: 60\nsurprise: true\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(
                        () -> PlanCodec.readDocument(unknownField, PlanFormat.YAML, ScenarioSpec.class, "a scenario"))
                .isInstanceOfSatisfying(
                        PlanParseException.class, e -> assertThat(e.pointer()).isEqualTo("/surprise"));
        byte[] stringForNumber = "outageSeconds: \"long\"\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() ->
                        PlanCodec.readDocument(stringForNumber, PlanFormat.YAML, ScenarioSpec.class, "a scenario"))
                .isInstanceOf(PlanParseException.class);
    }

    @Test
    void aScenarioWhoseComparisonWouldNotFitTheMemoryBudgetIsRefusedWithTheNumbers() {
        ScenarioSpec fits = spec(null, null, null, null);
        assertThat(Scenario.build(fits, PLAN).estimatedMemoryBytes()).isLessThan(Scenario.DEFAULT_MEMORY_BUDGET_BYTES);

        ScenarioSpec huge = spec(
                null,
                new ClientsSpec(3600.0, null, null, null, null, null, null),
                new SimulationSpec(10L, 3600.0, null, null, null),
                null);
        assertThatThrownBy(() -> Scenario.build(huge, PLAN))
                .isInstanceOfSatisfying(Scenario.InvalidScenarioException.class, e -> {
                    assertThat(e.violations()).hasSize(1);
                    Violation v = e.violations().get(0);
                    assertThat(v.pointer()).isEqualTo("/simulation");
                    assertThat(v.rule()).isEqualTo("memory-budget");
                    assertThat(v.message())
                            .contains(
                                    "needs ~7.8 GiB for 18 services × 360,000 steps of the longest client timeout"
                                            + " (3600 s at 10 ms) × 9 strategies",
                                    "the limit is 256 MiB",
                                    "use a longer step");
                });
        assertThatThrownBy(() -> Scenario.build(fits, PLAN, 1 << 20))
                .isInstanceOf(Scenario.InvalidScenarioException.class)
                .hasMessageContaining("the limit is 1 MiB");
    }
}
