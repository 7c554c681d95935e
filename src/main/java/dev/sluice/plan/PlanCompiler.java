package dev.sluice.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Turns a plan document into a {@link CompiledPlan}, or says everything that is wrong with it. The
 * one way from what people write to what runs: defaults ({@link PlanDefaults}), validation
 * ({@link PlanValidator}, every violation with its JSON pointer), then the compiled form.
 */
public final class PlanCompiler {
    private PlanCompiler() {}

    /** The outcome of compiling: a plan, or every violation. */
    public sealed interface Result permits Compiled, Invalid {}

    public record Compiled(CompiledPlan plan) implements Result {}

    public record Invalid(List<Violation> violations) implements Result {
        public Invalid {
            violations = List.copyOf(violations);
        }
    }

    public static Result compile(RestorePlan document) {
        RestorePlan withDefaults = PlanDefaults.apply(document);
        List<Violation> violations = PlanValidator.validate(withDefaults);
        if (!violations.isEmpty()) {
            return new Invalid(violations);
        }
        return new Compiled(build(withDefaults));
    }

    /**
     * Compiles a document that was valid when it was stored (a run's own copy of its plan).
     *
     * @throws IllegalStateException if it is not valid after all: stored data was changed
     */
    public static CompiledPlan compileStored(RestorePlan document) {
        Result result = compile(document);
        if (result instanceof Invalid invalid) {
            throw new IllegalStateException(
                    "stored plan " + document.name() + " is not valid: " + invalid.violations());
        }
        return ((Compiled) result).plan();
    }

    /** The source a (valid) metric gate reads. */
    private static HealthSource sourceOf(RestorePlan d, Gate g) {
        List<HealthSource> sources = g.service() == null
                ? d.tier().health()
                : d.services().stream()
                        .filter(s -> s.name().equals(g.service()))
                        .findFirst()
                        .orElseThrow()
                        .health();
        return sources.stream()
                .filter(h -> h.name().equals(g.source()))
                .findFirst()
                .orElseThrow();
    }

    private static CompiledPlan build(RestorePlan d) {
        CompiledPlan.Tier tier = new CompiledPlan.Tier(
                d.tier().name(), d.tier().capacityPerSecond(), d.tier().health());
        List<CompiledPlan.Service> services = new ArrayList<>();
        Map<String, CompiledPlan.Service> byName = new LinkedHashMap<>();
        for (Service s : d.services()) {
            CompiledPlan.Service compiled =
                    new CompiledPlan.Service(s.name(), s.demandPerSecond(), s.priority(), s.dependsOn(), s.health());
            services.add(compiled);
            byName.put(s.name(), compiled);
        }
        List<CompiledPlan.Stage> stages = new ArrayList<>();
        for (Stage s : d.stages()) {
            stages.add(new CompiledPlan.Stage(
                    s.name(),
                    s.effectiveShare(tier.capacityPerSecond()),
                    s.burstSeconds(),
                    s.holdSeconds(),
                    s.maxSeconds() == null ? OptionalLong.empty() : OptionalLong.of(s.maxSeconds())));
        }
        List<HealthGate> healthGates = new ArrayList<>();
        List<String> approvals = new ArrayList<>();
        for (Gate g : d.gates()) {
            switch (g.kind()) {
                case TIER_ERROR_RATE ->
                    healthGates.add(new HealthGate.TierErrorRate(
                            g.name(),
                            g.maxErrorRatio(),
                            g.windowSeconds(),
                            g.greenSamples(),
                            g.redSamples(),
                            g.beforeStage()));
                case TIER_LATENCY ->
                    healthGates.add(new HealthGate.TierLatency(
                            g.name(),
                            g.maxLatencyMillis(),
                            g.percentile(),
                            g.windowSeconds(),
                            g.greenSamples(),
                            g.redSamples(),
                            g.beforeStage()));
                case SERVICE_ERROR_RATE ->
                    healthGates.add(new HealthGate.ServiceErrorRate(
                            g.name(),
                            g.service(),
                            g.maxErrorRatio(),
                            g.windowSeconds(),
                            g.greenSamples(),
                            g.redSamples(),
                            g.beforeStage()));
                case METRIC ->
                    healthGates.add(new HealthGate.Metric(
                            g.name(),
                            g.service(),
                            g.source(),
                            sourceOf(d, g).signal(),
                            g.min() == null ? Double.NEGATIVE_INFINITY : g.min(),
                            g.max() == null ? Double.POSITIVE_INFINITY : g.max(),
                            g.windowSeconds(),
                            g.greenSamples(),
                            g.redSamples(),
                            g.beforeStage()));
                case MANUAL_APPROVAL ->
                    approvals.add(g.beforeStage() == null ? CompiledPlan.APPROVE_EVERY_STAGE : g.beforeStage());
            }
        }
        FailurePolicy p = d.policy();
        CompiledPlan.Policy policy = new CompiledPlan.Policy(
                p.onGateFailure(),
                p.stepBacksBeforePause(),
                p.unknownHealthPauseSeconds(),
                p.safeRatePerSecond() == null ? 0 : p.safeRatePerSecond(),
                p.tickIntervalMillis(),
                p.retryAfterSeconds());
        CompiledPlan.Admission admission = new CompiledPlan.Admission(
                d.admission().mode(),
                d.admission().leaseSeconds(),
                d.admission().whenNoRun(),
                d.admission().unrestrictedSeconds());
        RampPolicy r = d.ramp();
        CompiledPlan.Ramp ramp = new CompiledPlan.Ramp(
                r.minHoldSeconds(),
                r.marginRatio(),
                r.serviceUpSeconds(),
                r.reprobeAfterSeconds(),
                r.ceilingResolution(),
                r.trickleShare(),
                r.regressionWindowSeconds(),
                r.headroom());
        DependencyGraph graph = DependencyGraph.of(d.services());
        return new CompiledPlan(
                d.name(),
                d,
                tier,
                services,
                byName,
                stages,
                healthGates,
                approvals,
                policy,
                admission,
                ramp,
                graph,
                graph.levels());
    }
}
