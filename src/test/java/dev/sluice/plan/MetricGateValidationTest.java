package dev.sluice.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Validation of metric gates and of the json and scrape health sources, one rule at a time. */
class MetricGateValidationTest {
    private static final String SOURCES = """
            - {name: probe, kind: http, url: "http://kv/healthz"}
            - {name: cold-reads, kind: scrape, url: "http://kv/metrics", metric: kv_cold_reads_total, measure: rate, signal: metric}
            - {name: stats, kind: json, url: "http://kv/stats", pointer: /cache/hitRatio, signal: metric}
            """;

    @Test
    void aMetricGateOnATierSourceAndOneOnAServiceSourceAreValid() {
        assertThat(violations("""
                        - {name: cold, kind: metric, source: cold-reads, max: 2000}
                        - {name: hits, kind: metric, source: stats, min: 0.8, max: 1}
                        - {name: depth, kind: metric, service: queues, source: depth, max: 10000, beforeStage: full}
                        """)).isEmpty();
    }

    @Test
    void aMetricGateNeedsASourceAndAtLeastOneBound() {
        assertThat(rules("- {name: g, kind: metric}")).containsExactly("/gates/0 required", "/gates/0/source required");
    }

    @Test
    void minAboveMaxIsARangeViolation() {
        assertThat(violations("- {name: g, kind: metric, source: stats, min: 0.9, max: 0.5}"))
                .containsExactly(new Violation("/gates/0/min", "range", "must not exceed max (0.5), got 0.9"));
    }

    @Test
    void minEqualToMaxIsAllowed() {
        assertThat(rules("- {name: g, kind: metric, source: stats, min: 1, max: 1}"))
                .isEmpty();
    }

    @Test
    void anUnknownSourceIsNamedWithASuggestion() {
        assertThat(violations("- {name: g, kind: metric, source: stat, max: 1}"))
                .containsExactly(new Violation(
                        "/gates/0/source",
                        "unknown-source",
                        "the tier has no health source \"stat\" (did you mean \"stats\"?) (a service's source needs"
                                + " the gate's service)"));
    }

    @Test
    void aServiceSourceIsLookedUpUnderTheGatesService() {
        assertThat(rules("- {name: g, kind: metric, source: depth, max: 1}"))
                .containsExactly("/gates/0/source unknown-source");
        assertThat(rules("- {name: g, kind: metric, service: queue, source: depth, max: 1}"))
                .containsExactly("/gates/0/service unknown-service");
    }

    @Test
    void aProbeOrPushSourceCannotFeedAMetricGate() {
        assertThat(rules("- {name: g, kind: metric, source: probe, max: 1}"))
                .containsExactly("/gates/0/source metric-source");
    }

    @Test
    void boundsMustBeFinite() {
        RestorePlan p = read(base(SOURCES, "- {name: g, kind: metric, source: stats, max: 1}"));
        Gate infinite = new Gate(
                "g",
                GateKind.METRIC,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "stats",
                Double.NaN,
                Double.POSITIVE_INFINITY);
        RestorePlan changed =
                new RestorePlan(p.name(), null, p.tier(), p.services(), p.stages(), List.of(infinite), p.policy());
        assertThat(rules(changed)).containsExactly("/gates/0/min finite", "/gates/0/max finite");
    }

    @Test
    void metricFieldsDoNotApplyToOtherKindsNorErrorFieldsToMetricGates() {
        assertThat(rules("""
                        - {name: e, kind: tier-error-rate, maxErrorRatio: 0.1, source: stats, min: 0}
                        - {name: m, kind: metric, source: stats, max: 1, maxErrorRatio: 0.1, percentile: 99}
                        """))
                .containsExactly(
                        "/gates/0/source not-applicable",
                        "/gates/0/min not-applicable",
                        "/gates/1/maxErrorRatio not-applicable",
                        "/gates/1/percentile not-applicable");
    }

    @Test
    void aMetricSignalSourceDoesNotFeedErrorOrLatencyGates() {
        String plan = base("""
                        - {name: stats, kind: json, url: "http://kv/stats", pointer: /hit, signal: metric}
                        """, "- {name: e, kind: tier-error-rate, maxErrorRatio: 0.1}");
        assertThat(rules(read(plan))).containsExactly("/gates/0/kind no-health-source");
        String errors = base("""
                        - {name: stats, kind: json, url: "http://kv/stats", pointer: /errors, signal: error-ratio}
                        """, "- {name: e, kind: tier-error-rate, maxErrorRatio: 0.1}");
        assertThat(rules(read(errors))).isEmpty();
    }

    @Test
    void aJsonSourceNeedsAValidPointerAndASignal() {
        assertThat(sourceRules("- {name: s, kind: json, url: \"http://kv/stats\"}"))
                .containsExactly("/tier/health/0/pointer required", "/tier/health/0/signal required");
        assertThat(sourceRules("- {name: s, kind: json, url: \"http://kv/stats\", pointer: cache/hit, signal: metric}"))
                .containsExactly("/tier/health/0/pointer json-pointer");
        assertThat(sourceRules("- {name: s, kind: json, url: \"http://kv/stats\", pointer: /a~2b, signal: metric}"))
                .containsExactly("/tier/health/0/pointer json-pointer");
        assertThat(
                        sourceRules(
                                "- {name: s, kind: json, url: \"http://kv/stats\", pointer: \"/a~0b/c~1d/0/\", signal: metric}"))
                .isEmpty();
        assertThat(sourceRules("- {name: s, kind: json, url: \"http://kv/stats\", pointer: \"\", signal: metric}"))
                .as("the empty pointer is the whole document, a bare number")
                .isEmpty();
    }

    @Test
    void aScrapeSourceNeedsAValidSelector() {
        assertThat(sourceRules("- {name: s, kind: scrape, url: \"http://kv/metrics\", signal: metric}"))
                .containsExactly("/tier/health/0/metric required");
        assertThat(sourceViolations(
                        "- {name: s, kind: scrape, url: \"http://kv/metrics\", metric: 9lives, signal: metric}"))
                .extracting(Violation::message)
                .containsExactly("\"9lives\" is not a series selector: at 1: expected a metric name (letters, digits,"
                        + " '_' and ':', not starting with a digit)");
        assertThat(sourceRules("- {name: s, kind: scrape, url: \"http://kv/metrics\","
                        + " metric: 'kv_requests_total{code=~\"5..(\"}', signal: metric}"))
                .containsExactly("/tier/health/0/metric selector");
        assertThat(sourceRules("- {name: s, kind: scrape, url: \"http://kv/metrics\","
                        + " metric: 'kv_requests_total{code=\"500\"', signal: metric}"))
                .containsExactly("/tier/health/0/metric selector");
    }

    @Test
    void aRatioNeedsATotalMetricAndOnlyARatioHasOne() {
        assertThat(sourceRules("- {name: s, kind: scrape, url: \"http://kv/metrics\", metric: errors_total,"
                        + " measure: ratio, signal: error-ratio}"))
                .containsExactly("/tier/health/0/totalMetric required");
        assertThat(sourceRules("- {name: s, kind: scrape, url: \"http://kv/metrics\", metric: errors_total,"
                        + " totalMetric: requests_total, signal: error-ratio}"))
                .containsExactly("/tier/health/0/totalMetric not-applicable");
        assertThat(sourceRules("- {name: s, kind: scrape, url: \"http://kv/metrics\","
                        + " metric: 'requests_total{code=~\"5..\"}', measure: ratio, totalMetric: requests_total,"
                        + " signal: error-ratio}"))
                .isEmpty();
    }

    @Test
    void fieldsOfOneSourceKindDoNotApplyToAnother() {
        assertThat(sourceRules("""
                        - {name: a, kind: http, url: "http://kv/healthz", pointer: /x, metric: up}
                        - {name: b, kind: json, url: "http://kv/stats", pointer: /x, signal: metric, measure: rate, query: up}
                        - {name: c, kind: scrape, url: "http://kv/metrics", metric: up, signal: metric, pointer: /x, expectStatus: 200}
                        - {name: d, kind: prometheus, url: "http://prom:9090", query: up, signal: metric, metric: up}
                        - {name: e, kind: push, totalMetric: up}
                        """))
                .containsExactly(
                        "/tier/health/0/pointer not-applicable",
                        "/tier/health/0/metric not-applicable",
                        "/tier/health/1/query not-applicable",
                        "/tier/health/1/measure not-applicable",
                        "/tier/health/2/expectStatus not-applicable",
                        "/tier/health/2/pointer not-applicable",
                        "/tier/health/3/metric not-applicable",
                        "/tier/health/4/totalMetric not-applicable");
    }

    @Test
    void scrapeMeasureDefaultsToGaugeAndTimeoutsToTheUsualDefault() {
        RestorePlan p = PlanDefaults.apply(read(base(SOURCES, "[]")));
        HealthSource json = p.tier().health().get(2);
        assertThat(json.timeoutMillis()).isEqualTo(PlanDefaults.TIMEOUT_MILLIS);
        assertThat(json.measure()).isNull();
        HealthSource gauge = PlanDefaults.apply(read(base(
                        "- {name: q, kind: scrape, url: \"http://q/metrics\", metric: depth, signal: metric}", "[]")))
                .tier()
                .health()
                .get(0);
        assertThat(gauge.measure()).isEqualTo(ScrapeMeasure.GAUGE);
        assertThat(gauge.timeoutMillis()).isEqualTo(PlanDefaults.TIMEOUT_MILLIS);
    }

    @Test
    void theReadmesExampleOfGatingWithoutAPrometheusServerIsValid() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
        int section = readme.indexOf("### Gating without a Prometheus server");
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        String example = readme.substring(start, readme.indexOf("```", start));
        String plan = "name: no-prometheus\n" + example + """
                services:
                  - {name: a, demandPerSecond: 100}
                stages:
                  - {name: full, share: 1.0}
                """;
        assertThat(PlanValidator.validate(read(plan))).isEmpty();
        CompiledPlan compiled = PlanCompiler.compileStored(read(plan));
        assertThat(((HealthGate.Metric) compiled.healthGate("replication-lag")).signal())
                .isEqualTo(Signal.METRIC);
    }

    private static List<Violation> violations(String gates) {
        return PlanValidator.validate(read(base(SOURCES, gates)));
    }

    private static List<String> rules(String gates) {
        return rules(read(base(SOURCES, gates)));
    }

    private static List<Violation> sourceViolations(String sources) {
        return PlanValidator.validate(read(base(sources, "[]")));
    }

    private static List<String> sourceRules(String sources) {
        return rules(read(base(sources, "[]")));
    }

    private static List<String> rules(RestorePlan plan) {
        return PlanValidator.validate(plan).stream()
                .map(v -> v.pointer() + " " + v.rule())
                .toList();
    }

    private static RestorePlan read(String yaml) {
        return PlanCodec.read(yaml.getBytes(StandardCharsets.UTF_8), PlanFormat.YAML);
    }

    private static String base(String tierSources, String gates) {
        return """
                name: p
                tier:
                  name: kv
                  capacityPerSecond: 1000
                  health:
                %s
                services:
                  - name: queues
                    demandPerSecond: 100
                    health:
                      - {name: depth, kind: scrape, url: "http://q/metrics", metric: queue_depth, signal: metric}
                stages:
                  - {name: half, share: 0.5}
                  - {name: full, share: 1.0}
                gates:
                %s
                """.formatted(indent(tierSources, "    "), indent(gates, "  "));
    }

    private static String indent(String block, String prefix) {
        if (block.strip().equals("[]")) {
            return prefix + "[]";
        }
        return block.strip()
                .lines()
                .map(l -> prefix + l)
                .reduce((a, b) -> a + "\n" + b)
                .orElse("");
    }
}
