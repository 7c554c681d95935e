package dev.sluice.sim;

import dev.sluice.plan.PlanCompiler;
import dev.sluice.plan.RestorePlan;
import dev.sluice.plan.Service;
import dev.sluice.plan.Violation;
import dev.sluice.sim.ScenarioSpec.ClientsSpec;
import dev.sluice.sim.ScenarioSpec.GridSpec;
import dev.sluice.sim.ScenarioSpec.PointSpec;
import dev.sluice.sim.ScenarioSpec.RetrySpec;
import dev.sluice.sim.ScenarioSpec.ServiceClientSpec;
import dev.sluice.sim.ScenarioSpec.SimulationSpec;
import dev.sluice.sim.ScenarioSpec.StrategiesSpec;
import dev.sluice.sim.ScenarioSpec.TierSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A validated scenario: a plan, how its tier comes back, how its clients behave, and the strategies
 * to compare. Built from a {@link ScenarioSpec}, defaults filled.
 *
 * <p>Each service's demand is the plan's: the plan is taken to know it. The tier's healthy capacity
 * is the plan's figure unless {@code tier.actualCapacityFactor} says the real one differs. Each
 * service's backlog is {@code demand × outageSeconds × backlogShare}.
 */
public record Scenario(
        String name,
        String description,
        RestorePlan plan,
        double outageSeconds,
        TierProfile tier,
        List<ClientProfile> clients,
        SimulationSettings settings,
        Baselines baselines,
        SluiceStrategy.Operator operator) {

    public static final double DEFAULT_OUTAGE_SECONDS = 1800;
    public static final double DEFAULT_START_SHARE = 0.2;
    public static final double DEFAULT_RAMP_SECONDS = 300;
    public static final double DEFAULT_TIMEOUT_SECONDS = 2;
    public static final double DEFAULT_BACKLOG_SHARE = 0.05;
    public static final double DEFAULT_BACKLOG_RATE = 2;
    public static final double DEFAULT_PATIENCE_SECONDS = 30;
    public static final double DEFAULT_ACTUAL_CAPACITY_FACTOR = 1;
    public static final int MAX_SCHEDULE_POINTS = 1000;
    public static final RetryPolicy DEFAULT_RETRY = RetryPolicy.backoff(4, 0.5, 30);
    public static final long DEFAULT_STEP_MILLIS = 100;
    public static final double MIN_AUTO_HORIZON_SECONDS = 3600;
    public static final double MAX_HORIZON_SECONDS = 6 * 3600;
    /** The most service-steps one strategy may simulate (keeps one comparison within seconds). */
    public static final double MAX_SERVICE_STEPS = 20_000_000;

    public static final int MAX_GRID_SCENARIOS = 256;

    /**
     * The most heap one comparison may need by {@link #estimatedMemoryBytes()}, unless told
     * otherwise: fits the server's 768 MiB pod beside everything else it holds.
     */
    public static final long DEFAULT_MEMORY_BUDGET_BYTES = 256L << 20;

    static final String MEMORY_BUDGET_RULE = "memory-budget";

    /** The baselines' parameters. */
    public record Baselines(
            List<Double> linearRampSeconds,
            double envoyWindowSeconds,
            double envoyMinWeight,
            List<Double> envoyAggressions) {}

    /** The scenario cannot be built; says every reason, each with a JSON pointer and a rule. */
    public static final class InvalidScenarioException extends RuntimeException {
        private final List<Violation> violations;

        public InvalidScenarioException(List<Violation> violations) {
            super(
                    violations.size() == 1
                            ? violations.get(0).toString()
                            : violations.size() + " problems: " + violations);
            this.violations = List.copyOf(violations);
        }

        public List<Violation> violations() {
            return violations;
        }

        /** Whether one reason is that the comparison would not fit its memory budget. */
        public boolean overMemoryBudget() {
            return violations.stream().anyMatch(v -> v.rule().equals(MEMORY_BUDGET_RULE));
        }
    }

    /** Every strategy of the comparison, fresh (strategies keep state), in the order of the table. */
    public List<AdmissionStrategy> strategies() {
        double healthy = tier.healthyPerSecond();
        List<AdmissionStrategy> all = new ArrayList<>();
        all.add(Strategies.reopenEverything());
        all.add(Strategies.staticBucket(healthy));
        baselines.linearRampSeconds().forEach(w -> all.add(Strategies.linearRamp(healthy, w)));
        baselines
                .envoyAggressions()
                .forEach(a -> all.add(
                        Strategies.envoySlowStart(baselines.envoyWindowSeconds(), a, baselines.envoyMinWeight())));
        all.add(new SluiceStrategy(PlanCompiler.compileStored(plan), operator));
        all.add(Strategies.oracle(clients));
        return all;
    }

    /**
     * The heap a comparison of this scenario needs at most: every strategy's run at once (they run
     * in parallel, and every result keeps its timeline). See {@link Simulator#estimatedBytes}.
     */
    public long estimatedMemoryBytes() {
        return strategyCount(baselines) * Simulator.estimatedBytes(clients, settings);
    }

    private static int strategyCount(Baselines baselines) {
        // reopen-everything, static-bucket, the ramps, the Envoy slow starts, Sluice, the oracle
        return 4
                + baselines.linearRampSeconds().size()
                + baselines.envoyAggressions().size();
    }

    public double totalDemandPerSecond() {
        return clients.stream().mapToDouble(ClientProfile::demandPerSecond).sum();
    }

    public double totalBacklog() {
        return clients.stream().mapToDouble(ClientProfile::backlog).sum();
    }

    /** Builds a scenario for a valid plan (defaults applied), or says everything wrong with the spec. */
    public static Scenario build(ScenarioSpec spec, RestorePlan plan) {
        return build(spec, plan, DEFAULT_MEMORY_BUDGET_BYTES);
    }

    /**
     * As {@link #build(ScenarioSpec, RestorePlan)}, refusing a scenario whose comparison would need
     * more than {@code memoryBudgetBytes} of heap.
     */
    public static Scenario build(ScenarioSpec spec, RestorePlan plan, long memoryBudgetBytes) {
        Check check = new Check();
        Scenario scenario = build(spec, plan, check, memoryBudgetBytes);
        check.throwIfAny();
        return scenario;
    }

    /**
     * The scenarios of the spec's grid, every combination, named by what varies; just the scenario
     * itself when it has no grid.
     */
    public static List<Scenario> grid(ScenarioSpec spec, RestorePlan plan) {
        return grid(spec, plan, DEFAULT_MEMORY_BUDGET_BYTES);
    }

    /** As {@link #grid(ScenarioSpec, RestorePlan)}; each scenario must fit {@code memoryBudgetBytes}. */
    public static List<Scenario> grid(ScenarioSpec spec, RestorePlan plan, long memoryBudgetBytes) {
        Check check = new Check();
        Scenario base = build(spec, plan, check, memoryBudgetBytes);
        GridSpec grid = spec.grid();
        if (grid == null) {
            check.throwIfAny();
            return List.of(base);
        }
        List<Double> loads = orOne(grid.loads(), null);
        List<Double> outages = orOne(grid.outageSeconds(), spec.outageSeconds());
        List<TierSpec> tiers = orOne(grid.tiers(), spec.tier());
        List<RetrySpec> retries = orOne(
                grid.retries(), spec.clients() == null ? null : spec.clients().retry());
        for (int i = 0; i < loads.size(); i++) {
            if (loads.get(i) != null) {
                check.range("/grid/loads/" + i, loads.get(i), 0.01, 1.5);
            }
        }
        double capacity = plan.tier().capacityPerSecond();
        if (grid.tiers() != null) {
            for (int i = 0; i < grid.tiers().size(); i++) {
                tier(grid.tiers().get(i), "/grid/tiers/" + i, capacity, check);
            }
        }
        if (grid.retries() != null) {
            for (int i = 0; i < grid.retries().size(); i++) {
                retry(grid.retries().get(i), "/grid/retries/" + i, check, DEFAULT_RETRY);
            }
        }
        long combinations = (long) loads.size() * outages.size() * tiers.size() * retries.size();
        if (combinations > MAX_GRID_SCENARIOS) {
            check.add(
                    "/grid",
                    "max-scenarios",
                    "the grid makes " + combinations + " scenarios; at most " + MAX_GRID_SCENARIOS);
        }
        check.throwIfAny();
        List<Scenario> all = new ArrayList<>();
        for (Double load : loads) {
            RestorePlan scaled = load == null ? plan : scaled(plan, load);
            for (Double outage : outages) {
                for (TierSpec tier : tiers) {
                    for (RetrySpec retry : retries) {
                        ClientsSpec c = spec.clients();
                        ClientsSpec clients = new ClientsSpec(
                                c == null ? null : c.timeoutSeconds(),
                                retry,
                                c == null ? null : c.honoursRetryAfter(),
                                c == null ? null : c.backlogShare(),
                                c == null ? null : c.backlogRate(),
                                c == null ? null : c.patienceSeconds(),
                                c == null ? null : c.services());
                        ScenarioSpec variant = new ScenarioSpec(
                                null,
                                spec.description(),
                                null,
                                outage,
                                tier,
                                clients,
                                spec.simulation(),
                                spec.strategies(),
                                null);
                        Check inner = new Check();
                        Scenario s = build(variant, scaled, inner, memoryBudgetBytes);
                        inner.throwIfAny();
                        String name = combinations == 1 && spec.name() != null
                                ? spec.name()
                                : String.format(
                                        Locale.ROOT,
                                        "load %.1f, outage %s, %s, %s",
                                        s.totalDemandPerSecond() / s.tier().healthyPerSecond(),
                                        duration(s.outageSeconds()),
                                        s.tier().describe(),
                                        retryName(s.clients().get(0).retry()));
                        all.add(new Scenario(
                                name,
                                s.description(),
                                s.plan(),
                                s.outageSeconds(),
                                s.tier(),
                                s.clients(),
                                s.settings(),
                                s.baselines(),
                                s.operator()));
                    }
                }
            }
        }
        return all;
    }

    private static Scenario build(ScenarioSpec spec, RestorePlan plan, Check check, long memoryBudgetBytes) {
        double capacity = plan.tier().capacityPerSecond();
        double outage = check.range("/outageSeconds", or(spec.outageSeconds(), DEFAULT_OUTAGE_SECONDS), 0, 7 * 86400.0);
        TierProfile tier = tier(spec.tier(), "/tier", capacity, check);

        ClientsSpec c =
                spec.clients() == null ? new ClientsSpec(null, null, null, null, null, null, null) : spec.clients();
        Map<String, ServiceClientSpec> overrides = c.services() == null ? Map.of() : c.services();
        Set<String> names = new java.util.HashSet<>();
        plan.services().forEach(s -> names.add(s.name()));
        overrides.keySet().stream()
                .filter(n -> !names.contains(n))
                .sorted()
                .forEach(n -> check.add(
                        "/clients/services/" + n,
                        "unknown-service",
                        "plan " + plan.name() + " has no service \"" + n + "\""));
        RetryPolicy defaultRetry = retry(c.retry(), "/clients/retry", check, DEFAULT_RETRY);
        double timeout =
                check.range("/clients/timeoutSeconds", or(c.timeoutSeconds(), DEFAULT_TIMEOUT_SECONDS), 0.01, 3600);
        boolean honours = c.honoursRetryAfter() == null || c.honoursRetryAfter();
        double backlogShare = check.range("/clients/backlogShare", or(c.backlogShare(), DEFAULT_BACKLOG_SHARE), 0, 1);
        double backlogRate = check.range("/clients/backlogRate", or(c.backlogRate(), DEFAULT_BACKLOG_RATE), 0.01, 100);
        double patience =
                check.range("/clients/patienceSeconds", or(c.patienceSeconds(), DEFAULT_PATIENCE_SECONDS), 1, 86400);
        List<ClientProfile> clients = new ArrayList<>();
        for (Service s : plan.services()) {
            ServiceClientSpec given = overrides.get(s.name()); // null also for "name: null"
            ServiceClientSpec o = given != null ? given : new ServiceClientSpec(null, null, null, null, null, null);
            String at = "/clients/services/" + s.name();
            double demand = s.demandPerSecond();
            double share =
                    o.backlogShare() == null ? backlogShare : check.range(at + "/backlogShare", o.backlogShare(), 0, 1);
            double rate = o.backlogRate() == null
                    ? backlogRate
                    : check.range(at + "/backlogRate", o.backlogRate(), 0.01, 100);
            clients.add(new ClientProfile(
                    s.name(),
                    demand,
                    demand * outage * share,
                    demand * rate,
                    o.timeoutSeconds() == null
                            ? timeout
                            : check.range(at + "/timeoutSeconds", o.timeoutSeconds(), 0.01, 3600),
                    s.dependsOn(),
                    o.retry() == null ? defaultRetry : retry(o.retry(), at + "/retry", check, defaultRetry),
                    o.honoursRetryAfter() == null ? honours : o.honoursRetryAfter(),
                    o.patienceSeconds() == null
                            ? patience
                            : check.range(at + "/patienceSeconds", o.patienceSeconds(), 1, 86400)));
        }

        SimulationSpec sim =
                spec.simulation() == null ? new SimulationSpec(null, null, null, null, null) : spec.simulation();
        long stepMillis = or(sim.stepMillis(), DEFAULT_STEP_MILLIS);
        if (stepMillis < 10 || stepMillis > 1000 || 1000 % stepMillis != 0) {
            check.add(
                    "/simulation/stepMillis",
                    "divides-a-second",
                    "must divide 1000 and lie between 10 and 1000, was " + stepMillis);
            stepMillis = DEFAULT_STEP_MILLIS;
        }
        double bound = Simulator.fluidBoundSeconds(tier, clients, 1, MAX_HORIZON_SECONDS);
        double horizon = sim.horizonSeconds() != null
                ? check.range("/simulation/horizonSeconds", sim.horizonSeconds(), 60, MAX_HORIZON_SECONDS)
                : Math.min(MAX_HORIZON_SECONDS, Math.ceil(Math.max(MIN_AUTO_HORIZON_SECONDS, 3 * bound) / 60) * 60);
        double retryAfter = sim.retryAfterSeconds() != null
                ? check.range("/simulation/retryAfterSeconds", sim.retryAfterSeconds(), 0.01, 60)
                : plan.policy().retryAfterSeconds();
        SimulationSettings settings = new SimulationSettings(
                stepMillis / 1000.0,
                horizon,
                or(sim.seed(), 1L),
                check.range("/simulation/demandJitter", or(sim.demandJitter(), 0.1), 0, 0.5),
                retryAfter);
        double serviceSteps = horizon * 1000.0 / stepMillis * clients.size();
        if (serviceSteps > MAX_SERVICE_STEPS) {
            check.add(
                    "/simulation",
                    "max-steps",
                    String.format(
                            Locale.ROOT,
                            "%.0f service-steps per strategy (services × horizon ÷ step); at most %.0f: shorten the horizon"
                                    + " or lengthen the step",
                            serviceSteps,
                            MAX_SERVICE_STEPS));
        }

        StrategiesSpec st =
                spec.strategies() == null ? new StrategiesSpec(null, null, null, null, null, null) : spec.strategies();
        List<Double> ramps = st.linearRampSeconds() == null ? List.of(30.0, 120.0, 900.0) : st.linearRampSeconds();
        for (int i = 0; i < ramps.size(); i++) {
            check.range("/strategies/linearRampSeconds/" + i, ramps.get(i), 1, 86400);
        }
        List<Double> aggressions = st.envoyAggressions() == null ? List.of(1.0, 2.0) : st.envoyAggressions();
        for (int i = 0; i < aggressions.size(); i++) {
            check.range("/strategies/envoyAggressions/" + i, aggressions.get(i), 0.1, 10);
        }
        Baselines baselines = new Baselines(
                ramps,
                check.range("/strategies/envoyWindowSeconds", or(st.envoyWindowSeconds(), 120.0), 1, 86400),
                check.range("/strategies/envoyMinWeight", or(st.envoyMinWeight(), 0.1), 0.001, 1),
                aggressions);
        SluiceStrategy.Operator operator = new SluiceStrategy.Operator(
                check.range(
                        "/strategies/approvalDelaySeconds",
                        or(st.approvalDelaySeconds(), SluiceStrategy.Operator.AT_HAND.approvalDelaySeconds()),
                        0,
                        86400),
                check.range(
                        "/strategies/resumeDelaySeconds",
                        or(st.resumeDelaySeconds(), SluiceStrategy.Operator.AT_HAND.resumeDelaySeconds()),
                        0,
                        86400));
        String name = spec.name() != null ? spec.name() : plan.name();
        Scenario scenario =
                new Scenario(name, spec.description(), plan, outage, tier, clients, settings, baselines, operator);
        long needs = scenario.estimatedMemoryBytes();
        if (needs > memoryBudgetBytes) {
            double longestTimeout = clients.stream()
                    .mapToDouble(ClientProfile::timeoutSeconds)
                    .max()
                    .orElse(0);
            check.add(
                    "/simulation",
                    MEMORY_BUDGET_RULE,
                    String.format(
                            Locale.ROOT,
                            "needs ~%s for %d services × %,d steps of the longest client timeout (%s s at %d ms) × %d"
                                    + " strategies, over a %s horizon; the limit is %s: use a longer step, shorter"
                                    + " timeouts, fewer services or fewer baselines",
                            bytes(needs),
                            clients.size(),
                            Simulator.queuedSteps(clients, settings),
                            Check.number(longestTimeout),
                            stepMillis,
                            strategyCount(baselines),
                            duration(horizon),
                            bytes(memoryBudgetBytes)));
        }
        return scenario;
    }

    /** "1.9 GiB", "256 MiB", "12 KiB". */
    public static String bytes(long n) {
        if (n >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", n / (double) (1L << 30));
        }
        return n >= 1L << 20
                ? String.format(Locale.ROOT, "%.0f MiB", n / (double) (1L << 20))
                : String.format(Locale.ROOT, "%.0f KiB", n / 1024.0);
    }

    /** The tier's shape and real capacity, from a spec at {@code at} ("/tier", "/grid/tiers/2"). */
    private static TierProfile tier(TierSpec spec, String at, double capacity, Check check) {
        TierSpec t = spec == null ? new TierSpec(null, null, null, null, null) : spec;
        double factor = check.range(
                at + "/actualCapacityFactor", or(t.actualCapacityFactor(), DEFAULT_ACTUAL_CAPACITY_FACTOR), 0.1, 4);
        TierProfile.Shape shape;
        if (t.schedule() != null) {
            Map<String, Double> replaced = new LinkedHashMap<>();
            replaced.put("startShare", t.startShare());
            replaced.put("rampSeconds", t.rampSeconds());
            replaced.put("warmUpSeconds", t.warmUpSeconds());
            replaced.forEach((field, value) -> {
                if (value != null) {
                    check.add(
                            at + "/" + field,
                            "not-with-schedule",
                            "a schedule gives the whole capacity curve; leave " + field + " out");
                }
            });
            shape = schedule(t.schedule(), at + "/schedule", check);
        } else if (t.warmUpSeconds() != null) {
            if (t.rampSeconds() != null) {
                check.add(
                        at + "/rampSeconds",
                        "not-with-warm-up",
                        "an exponential warm-up (warmUpSeconds) has no ramp length; give rampSeconds or warmUpSeconds");
            }
            shape = new TierProfile.WarmUp(
                    check.range(at + "/startShare", or(t.startShare(), DEFAULT_START_SHARE), 0.001, 1),
                    check.range(at + "/warmUpSeconds", t.warmUpSeconds(), 1, 86400));
        } else {
            shape = new TierProfile.LinearRamp(
                    check.range(at + "/startShare", or(t.startShare(), DEFAULT_START_SHARE), 0.001, 1),
                    check.range(at + "/rampSeconds", or(t.rampSeconds(), DEFAULT_RAMP_SECONDS), 0, 86400));
        }
        return new TierProfile(capacity, shape, factor);
    }

    private static TierProfile.Schedule schedule(List<PointSpec> points, String at, Check check) {
        if (points.isEmpty()) {
            check.add(at, "non-empty", "a schedule has at least one point, the first at atSeconds 0");
            return new TierProfile.Schedule(List.of(new TierProfile.Point(0, 1)));
        }
        if (points.size() > MAX_SCHEDULE_POINTS) {
            check.add(
                    at,
                    "max-points",
                    "a schedule has at most " + MAX_SCHEDULE_POINTS + " points, this one " + points.size());
        }
        List<TierProfile.Point> valid = new ArrayList<>();
        double previous = 0;
        for (int i = 0; i < points.size(); i++) {
            String pointer = at + "/" + i;
            PointSpec p = points.get(i);
            if (p == null) {
                check.add(pointer, "required", "a point has an atSeconds and a share");
                continue;
            }
            double time = previous;
            if (p.atSeconds() == null) {
                check.add(pointer + "/atSeconds", "required", "a point says when: atSeconds");
            } else {
                time = check.range(pointer + "/atSeconds", p.atSeconds(), 0, 86400);
                if (i == 0 && time != 0) {
                    check.add(
                            pointer + "/atSeconds",
                            "starts-at-zero",
                            "the first point is the tier's return: atSeconds 0, was " + p.atSeconds());
                } else if (time < previous) {
                    check.add(
                            pointer + "/atSeconds",
                            "non-decreasing",
                            "must not be before the point above it (" + previous + " s), was " + p.atSeconds());
                }
            }
            double share = 1;
            if (p.share() == null) {
                check.add(pointer + "/share", "required", "a point says how much: share, of the healthy capacity");
            } else {
                share = check.range(pointer + "/share", p.share(), 0, 1);
            }
            time = Math.max(previous, time);
            valid.add(new TierProfile.Point(i == 0 ? 0 : time, share));
            previous = time;
        }
        return new TierProfile.Schedule(valid.isEmpty() ? List.of(new TierProfile.Point(0, 1)) : valid);
    }

    /** "backoff", "backoff without jitter", "immediate", ... */
    static String retryName(RetryPolicy retry) {
        String name = retry.kind().wireName();
        return retry.kind() == RetryPolicy.Kind.BACKOFF && !retry.jitter() ? name + " without jitter" : name;
    }

    private static RetryPolicy retry(RetrySpec r, String at, Check check, RetryPolicy fallback) {
        if (r == null) {
            return fallback;
        }
        RetryPolicy.Kind kind;
        try {
            kind = r.policy() == null ? fallback.kind() : RetryPolicy.Kind.fromWire(r.policy());
        } catch (IllegalArgumentException e) {
            check.add(
                    at + "/policy",
                    "one-of",
                    "must be immediate, backoff, budget or adaptive, was \"" + r.policy() + "\"");
            return fallback;
        }
        int attempts = (int) check.range(at + "/maxAttempts", or(r.maxAttempts(), 4), 1, 20);
        if (r.jitter() != null && kind != RetryPolicy.Kind.BACKOFF) {
            check.add(
                    at + "/jitter", "backoff-only", "jitter is backoff's; policy " + kind.wireName() + " has no delay");
        }
        return switch (kind) {
            case IMMEDIATE -> RetryPolicy.immediate(attempts);
            case BACKOFF -> {
                double base = check.range(at + "/baseDelaySeconds", or(r.baseDelaySeconds(), 0.5), 0.01, 600);
                double cap = check.range(at + "/maxDelaySeconds", or(r.maxDelaySeconds(), 30.0), 0.01, 600);
                if (cap < base) {
                    check.add(
                            at + "/maxDelaySeconds",
                            "at-least-base",
                            "must be at least baseDelaySeconds (" + base + ")");
                }
                yield RetryPolicy.backoff(attempts, base, Math.max(base, cap), r.jitter() == null || r.jitter());
            }
            case BUDGET ->
                RetryPolicy.budget(attempts, check.range(at + "/budgetRatio", or(r.budgetRatio(), 0.1), 0.001, 1));
            case ADAPTIVE ->
                RetryPolicy.adaptive(attempts, check.range(at + "/throttleK", or(r.throttleK(), 2.0), 1, 10));
        };
    }

    /** The plan with every demand scaled so that together they are {@code load} of the tier's capacity. */
    static RestorePlan scaled(RestorePlan plan, double load) {
        double total =
                plan.services().stream().mapToDouble(Service::demandPerSecond).sum();
        double factor = load * plan.tier().capacityPerSecond() / total;
        List<Service> services = plan.services().stream()
                .map(s -> new Service(s.name(), s.demandPerSecond() * factor, s.priority(), s.dependsOn(), s.health()))
                .toList();
        return new RestorePlan(
                plan.name(),
                plan.description(),
                plan.tier(),
                services,
                plan.stages(),
                plan.gates(),
                plan.policy(),
                plan.admission(),
                plan.ramp());
    }

    static String duration(double seconds) {
        if (seconds >= 3600 && seconds % 1800 == 0) {
            return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
        }
        return seconds >= 60 && seconds % 60 == 0
                ? String.format(Locale.ROOT, "%.0f min", seconds / 60)
                : String.format(Locale.ROOT, "%.0f s", seconds);
    }

    private static <T> List<T> orOne(List<T> values, T fallback) {
        if (values == null || values.isEmpty()) {
            List<T> one = new ArrayList<>();
            one.add(fallback);
            return one;
        }
        return values;
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** Collects violations; a value out of range is reported and replaced by the nearest bound. */
    private static final class Check {
        private final Map<String, Violation> found = new LinkedHashMap<>();

        void add(String pointer, String rule, String message) {
            found.putIfAbsent(pointer, new Violation(pointer, rule, message));
        }

        /** A number from a list or map, where a document may hold null: said so, not unboxed. */
        double range(String pointer, Double given, double min, double max) {
            if (given == null) {
                add(pointer, "required", "must be a number");
                return min;
            }
            return range(pointer, given.doubleValue(), min, max);
        }

        double range(String pointer, double value, double min, double max) {
            if (!(value >= min && value <= max)) {
                add(
                        pointer,
                        "range",
                        String.format(
                                Locale.ROOT,
                                "must be between %s and %s, was %s",
                                number(min),
                                number(max),
                                number(value)));
                return Double.isNaN(value) ? min : Math.max(min, Math.min(max, value));
            }
            return value;
        }

        void throwIfAny() {
            if (!found.isEmpty()) {
                throw new InvalidScenarioException(new ArrayList<>(found.values()));
            }
        }

        private static String number(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
        }
    }
}
