package dev.sluice.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.SluiceCli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The reference scenario (examples/scenarios/reference.yaml) through every strategy, once: the
 * claims the README makes about it, the chart, and the command that prints them.
 */
class ReferenceComparisonTest {
    static final Path REFERENCE = Path.of("examples/scenarios/reference.yaml");
    private static Comparison comparison;

    @BeforeAll
    static void runTheReferenceComparison() {
        ScenarioFiles.Loaded loaded = ScenarioFiles.read(REFERENCE);
        comparison = Comparison.run(Scenario.build(loaded.spec(), loaded.plan()));
    }

    @Test
    void everyStrategyRunsInTheOrderOfTheTable() {
        assertThat(comparison.results())
                .extracting(SimulationResult::strategy)
                .containsExactly(
                        "reopen-everything",
                        "static-bucket",
                        "linear-ramp-30s",
                        "linear-ramp-120s",
                        "linear-ramp-900s",
                        "envoy-slow-start-a1",
                        "envoy-slow-start-a2",
                        "sluice",
                        "oracle");
    }

    @Test
    void reopeningEverythingCollapsesAndStaysCollapsed() {
        SimulationResult reopen = comparison.result("reopen-everything");
        assertThat(reopen.metastable()).isTrue();
        assertThat(reopen.restored()).isFalse();
        assertThat(reopen.wasted()).isGreaterThan(10 * reopen.good());
    }

    @Test
    void sluiceRestoresEveryServiceWithoutAmplifyingLoadAndEndsHealthy() {
        SimulationResult sluice = comparison.sluice();
        assertThat(sluice.restored()).isTrue();
        assertThat(sluice.metastable()).isFalse();
        assertThat(sluice.wasted()).isZero();
        assertThat(sluice.retryAmplification()).isLessThanOrEqualTo(Comparison.TARGET_AMPLIFICATION);
        assertThat(sluice.restorationRatio()).isLessThanOrEqualTo(Comparison.TARGET_RATIO);
        // The real controller restores in the plan's dependency order.
        var up = sluice.restoredBySeconds();
        assertThat(up.get("access")).isLessThan(up.get("gateway"));
        assertThat(up.get("gateway")).isLessThan(up.get("warp"));
        assertThat(up.get("workers-assets")).isLessThan(up.get("pages"));
        assertThat(up.get("pages")).isLessThan(up.get("workers-builds"));
        assertThat(up.get("workers-ai")).isLessThan(up.get("autorag"));
    }

    @Test
    void sluiceWalksThePlansStagesAndCompletesTheRun() {
        List<SluiceStrategy.StageChange> stages = comparison.sluiceStages();
        assertThat(stages.get(0).stage()).isEqualTo("trickle");
        assertThat(stages)
                .extracting(SluiceStrategy.StageChange::stage)
                .contains("tenth", "quarter", "half", "most", "full");
        assertThat(stages.get(stages.size() - 1).status()).isEqualTo("completed");
    }

    @Test
    void theChartIsWellFormedSvgWithOnePanelPerStrategy() throws Exception {
        String svg = SvgChart.render(comparison);
        Document doc = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        // Four lines per panel: capacity, offered, admitted, goodput.
        assertThat(doc.getElementsByTagName("polyline").getLength())
                .isEqualTo(4 * comparison.results().size());
        for (SimulationResult r : comparison.results()) {
            assertThat(svg).contains(r.strategy() + " — ");
        }
    }

    @Test
    void theCommandPrintsTheTableAndWritesTheChart(@TempDir Path dir) throws Exception {
        // A small scenario over the demo plan: the command's output is the comparison's, same seed.
        Path scenario = dir.resolve("small.yaml");
        Files.writeString(
                scenario,
                "plan: " + Path.of("examples/demo-plan.yaml").toAbsolutePath()
                        + "\noutageSeconds: 120\nsimulation: {horizonSeconds: 300, seed: 3}\n");
        ScenarioFiles.Loaded loaded = ScenarioFiles.read(scenario);
        Comparison expected = Comparison.run(Scenario.build(loaded.spec(), loaded.plan()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path chart = dir.resolve("small.svg");
        int code = SluiceCli.run(
                new String[] {"simulate", scenario.toString(), "--chart", chart.toString()},
                java.util.Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed).contains("| sluice |", "| oracle |", "Fluid bound T*", "Sluice against its targets");
        assertThat(printed).contains(expected.table());
        assertThat(Files.readString(chart)).startsWith("<svg");
    }

    @Test
    void theCommandRejectsAMissingOrInvalidScenarioWithExitCodeTwo(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(SluiceCli.run(new String[] {"simulate"}, java.util.Map.of(), out, errors))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Missing required parameter: 'SCENARIO.yaml'", "Usage: sluice simulate");

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(
                bad,
                "plan: " + Path.of("examples/reference-plan.yaml").toAbsolutePath()
                        + "\ntier: {startShare: 2}\nclients: {services: {nosuch: {backlogShare: 0.1}}}\n");
        err.reset();
        assertThat(SluiceCli.run(new String[] {"simulate", bad.toString()}, java.util.Map.of(), out, errors))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("/tier/startShare", "range", "/clients/services/nosuch", "unknown-service");
    }
}
