package dev.sluice.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Fills every optional field of a plan with its documented default, so a stored plan states the
 * values a run will actually use. Required fields are left as they are (possibly null) for
 * {@link PlanValidator} to report.
 */
public final class PlanDefaults {
    public static final Priority PRIORITY = Priority.NORMAL;
    public static final double BURST_SECONDS = 1.0;
    public static final long HOLD_SECONDS = 60;
    public static final long WINDOW_SECONDS = 30;
    public static final int GREEN_SAMPLES = 3;
    public static final int RED_SAMPLES = 2;
    public static final double PERCENTILE = 99;
    public static final GateFailureAction ON_GATE_FAILURE = GateFailureAction.STEP_BACK;
    public static final int STEP_BACKS_BEFORE_PAUSE = 3;
    public static final long UNKNOWN_HEALTH_PAUSE_SECONDS = 120;
    public static final long TICK_INTERVAL_MILLIS = 1_000;
    public static final long RETRY_AFTER_SECONDS = 2;
    public static final int EXPECT_STATUS = 200;
    public static final long TIMEOUT_MILLIS = 2_000;
    public static final long STALE_AFTER_SECONDS = 30;
    public static final ScrapeMeasure SCRAPE_MEASURE = ScrapeMeasure.GAUGE;
    public static final AdmissionMode ADMISSION_MODE = AdmissionMode.LOCAL_SHARE;
    public static final long LEASE_SECONDS = 10;
    public static final WhenNoRun WHEN_NO_RUN = WhenNoRun.CLOSED;
    public static final long UNRESTRICTED_SECONDS = 30;
    public static final long MIN_HOLD_SECONDS = 15;
    public static final double MARGIN_RATIO = 0.5;
    public static final long SERVICE_UP_SECONDS = 10;
    public static final long REPROBE_AFTER_SECONDS = 120;
    public static final double CEILING_RESOLUTION = 0.05;
    public static final double TRICKLE_SHARE = 0.01;
    public static final long REGRESSION_WINDOW_SECONDS = 600;
    public static final double HEADROOM = 0;

    private PlanDefaults() {}

    public static RestorePlan apply(RestorePlan plan) {
        return new RestorePlan(
                plan.name(),
                plan.description(),
                plan.tier() == null ? null : tier(plan.tier()),
                map(plan.services(), PlanDefaults::service),
                stages(plan.stages()),
                map(orEmpty(plan.gates()), PlanDefaults::gate),
                policy(plan.policy() == null ? new FailurePolicy(null, null, null, null, null, null) : plan.policy()),
                plan.admission() == null
                        ? new AdmissionPolicy(ADMISSION_MODE, LEASE_SECONDS, WHEN_NO_RUN, UNRESTRICTED_SECONDS)
                        : new AdmissionPolicy(
                                or(plan.admission().mode(), ADMISSION_MODE),
                                or(plan.admission().leaseSeconds(), LEASE_SECONDS),
                                or(plan.admission().whenNoRun(), WHEN_NO_RUN),
                                or(plan.admission().unrestrictedSeconds(), UNRESTRICTED_SECONDS)),
                ramp(
                        plan.ramp() == null
                                ? new RampPolicy(null, null, null, null, null, null, null, null)
                                : plan.ramp()));
    }

    private static RampPolicy ramp(RampPolicy r) {
        return new RampPolicy(
                or(r.minHoldSeconds(), MIN_HOLD_SECONDS),
                or(r.marginRatio(), MARGIN_RATIO),
                or(r.serviceUpSeconds(), SERVICE_UP_SECONDS),
                or(r.reprobeAfterSeconds(), REPROBE_AFTER_SECONDS),
                or(r.ceilingResolution(), CEILING_RESOLUTION),
                or(r.trickleShare(), TRICKLE_SHARE),
                or(r.regressionWindowSeconds(), REGRESSION_WINDOW_SECONDS),
                or(r.headroom(), HEADROOM));
    }

    private static Tier tier(Tier tier) {
        return new Tier(tier.name(), tier.capacityPerSecond(), sources(tier.health()));
    }

    private static Service service(Service s) {
        if (s == null) {
            return null;
        }
        return new Service(
                s.name(), s.demandPerSecond(), or(s.priority(), PRIORITY), orEmpty(s.dependsOn()), sources(s.health()));
    }

    private static List<Stage> stages(List<Stage> stages) {
        if (stages == null) {
            return null;
        }
        List<Stage> result = new ArrayList<>(stages.size());
        for (int i = 0; i < stages.size(); i++) {
            Stage s = stages.get(i);
            result.add(
                    s == null
                            ? null
                            : new Stage(
                                    or(s.name(), "stage-" + (i + 1)),
                                    s.share(),
                                    s.ratePerSecond(),
                                    or(s.burstSeconds(), BURST_SECONDS),
                                    or(s.holdSeconds(), HOLD_SECONDS),
                                    s.maxSeconds()));
        }
        return result;
    }

    private static Gate gate(Gate g) {
        if (g == null) {
            return null;
        }
        boolean latency = g.kind() == GateKind.TIER_LATENCY;
        return new Gate(
                g.name(),
                g.kind(),
                g.service(),
                g.maxErrorRatio(),
                g.maxLatencyMillis(),
                latency ? or(g.percentile(), PERCENTILE) : g.percentile(),
                or(g.windowSeconds(), WINDOW_SECONDS),
                or(g.greenSamples(), GREEN_SAMPLES),
                or(g.redSamples(), RED_SAMPLES),
                g.beforeStage(),
                g.source(),
                g.min(),
                g.max());
    }

    private static List<HealthSource> sources(List<HealthSource> sources) {
        return map(orEmpty(sources), PlanDefaults::source);
    }

    private static HealthSource source(HealthSource h) {
        if (h == null || h.kind() == null) {
            return h;
        }
        return switch (h.kind()) {
            case HTTP ->
                h.with(
                        or(h.expectStatus(), EXPECT_STATUS),
                        or(h.timeoutMillis(), TIMEOUT_MILLIS),
                        h.staleAfterSeconds(),
                        h.measure());
            case PROMETHEUS, JSON ->
                h.with(h.expectStatus(), or(h.timeoutMillis(), TIMEOUT_MILLIS), h.staleAfterSeconds(), h.measure());
            case SCRAPE ->
                h.with(
                        h.expectStatus(),
                        or(h.timeoutMillis(), TIMEOUT_MILLIS),
                        h.staleAfterSeconds(),
                        or(h.measure(), SCRAPE_MEASURE));
            case PUSH ->
                h.with(
                        h.expectStatus(),
                        h.timeoutMillis(),
                        or(h.staleAfterSeconds(), STALE_AFTER_SECONDS),
                        h.measure());
        };
    }

    private static FailurePolicy policy(FailurePolicy p) {
        return new FailurePolicy(
                or(p.onGateFailure(), ON_GATE_FAILURE),
                or(p.stepBacksBeforePause(), STEP_BACKS_BEFORE_PAUSE),
                or(p.unknownHealthPauseSeconds(), UNKNOWN_HEALTH_PAUSE_SECONDS),
                p.safeRatePerSecond(),
                or(p.tickIntervalMillis(), TICK_INTERVAL_MILLIS),
                or(p.retryAfterSeconds(), RETRY_AFTER_SECONDS));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list != null ? list : List.of();
    }

    private static <T> List<T> map(List<T> list, java.util.function.UnaryOperator<T> f) {
        if (list == null) {
            return null;
        }
        List<T> result = new ArrayList<>(list.size());
        for (T t : list) {
            result.add(f.apply(t));
        }
        return result;
    }
}
