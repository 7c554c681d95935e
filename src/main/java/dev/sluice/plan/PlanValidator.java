package dev.sluice.plan;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a plan (with {@link PlanDefaults} applied) against every rule and returns all violations at once,
 * each with a JSON pointer and a stable rule identifier. An empty list means the plan can run.
 *
 * <p>Rule identifiers: {@code required}, {@code dns-label}, {@code duplicate}, {@code unknown-service},
 * {@code unknown-stage}, {@code self-dependency}, {@code cycle}, {@code positive}, {@code finite},
 * {@code range}, {@code one-of}, {@code not-applicable}, {@code increasing}, {@code final-stage-full},
 * {@code min-items}, {@code max-items}, {@code capacity}, {@code url}, {@code max-length},
 * {@code no-health-source}, {@code unknown-source}, {@code metric-source}, {@code json-pointer},
 * {@code selector}.
 */
final class PlanValidator {
    /** RFC 1123 label, as Kubernetes names require. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private static final int DNS_LABEL_MAX = 63;

    private static final Pattern JSON_POINTER = Pattern.compile("(/([^~/]|~[01])*)*");

    private final List<Violation> violations = new ArrayList<>();

    private PlanValidator() {}

    public static List<Violation> validate(RestorePlan plan) {
        PlanValidator v = new PlanValidator();
        v.plan(PlanDefaults.apply(plan));
        return List.copyOf(v.violations);
    }

    private void plan(RestorePlan plan) {
        dnsLabel("/name", plan.name());
        if (plan.description() != null && plan.description().length() > PlanLimits.MAX_DESCRIPTION_CHARS) {
            add("/description", "max-length", "must be at most " + PlanLimits.MAX_DESCRIPTION_CHARS + " characters");
        }
        Double capacity = null;
        if (plan.tier() == null) {
            add("/tier", "required", "is required");
        } else {
            capacity = tier(plan.tier());
        }
        Set<String> serviceNames = services(plan.services(), capacity);
        double headroom = plan.ramp() == null
                        || plan.ramp().headroom() == null
                        || !(plan.ramp().headroom() >= 0 && plan.ramp().headroom() <= PlanLimits.MAX_HEADROOM)
                ? 0
                : plan.ramp().headroom();
        Set<String> stageNames = stages(plan.stages(), capacity, headroom);
        gates(plan, serviceNames, stageNames);
        policy(plan.policy());
        range("/admission/leaseSeconds", plan.admission().leaseSeconds(), 2, PlanLimits.MAX_LEASE_SECONDS);
        range(
                "/admission/unrestrictedSeconds",
                plan.admission().unrestrictedSeconds(),
                1,
                PlanLimits.MAX_UNRESTRICTED_SECONDS);
        if (plan.ramp() != null) {
            ramp(plan.ramp());
        }
    }

    private void ramp(RampPolicy r) {
        range("/ramp/minHoldSeconds", r.minHoldSeconds(), 1, PlanLimits.MAX_HOLD_SECONDS);
        share("/ramp/marginRatio", r.marginRatio(), 0, 1);
        range("/ramp/serviceUpSeconds", r.serviceUpSeconds(), 0, PlanLimits.MAX_HOLD_SECONDS);
        range("/ramp/reprobeAfterSeconds", r.reprobeAfterSeconds(), 1, PlanLimits.MAX_HOLD_SECONDS);
        share("/ramp/ceilingResolution", r.ceilingResolution(), 0.001, 0.5);
        share("/ramp/trickleShare", r.trickleShare(), 0, 1);
        range("/ramp/regressionWindowSeconds", r.regressionWindowSeconds(), 1, PlanLimits.MAX_STAGE_SECONDS);
        share("/ramp/headroom", r.headroom(), 0, PlanLimits.MAX_HEADROOM);
    }

    /** A number between {@code min} and {@code max}, both included. */
    private void share(String at, Double value, double min, double max) {
        if (finite(at, value) && (value < min || value > max)) {
            add(at, "range", "must be between " + number(min) + " and " + number(max));
        }
    }

    private Double tier(Tier tier) {
        dnsLabel("/tier/name", tier.name());
        boolean ok = positive("/tier/capacityPerSecond", tier.capacityPerSecond());
        if (ok && tier.capacityPerSecond() > PlanLimits.MAX_CAPACITY_PER_SECOND) {
            add(
                    "/tier/capacityPerSecond",
                    "range",
                    "must be at most " + number(PlanLimits.MAX_CAPACITY_PER_SECOND) + " requests/s");
            ok = false;
        }
        healthSources("/tier/health", tier.health());
        return ok ? tier.capacityPerSecond() : null;
    }

    private Set<String> services(List<Service> services, Double capacity) {
        Set<String> names = new HashSet<>();
        if (services == null || services.isEmpty()) {
            add("/services", services == null ? "required" : "min-items", "a plan needs at least one service");
            return names;
        }
        if (services.size() > PlanLimits.MAX_SERVICES) {
            add("/services", "max-items", "at most " + PlanLimits.MAX_SERVICES + " services, got " + services.size());
        }
        double totalDemand = 0;
        boolean demandsKnown = true;
        for (int i = 0; i < services.size(); i++) {
            String at = "/services/" + i;
            Service s = services.get(i);
            if (s == null) {
                add(at, "required", "must be an object");
                demandsKnown = false;
                continue;
            }
            if (dnsLabel(at + "/name", s.name()) && !names.add(s.name())) {
                add(at + "/name", "duplicate", "service \"" + s.name() + "\" is declared more than once");
            }
            if (positive(at + "/demandPerSecond", s.demandPerSecond())) {
                totalDemand += s.demandPerSecond();
            } else {
                demandsKnown = false;
            }
            healthSources(at + "/health", s.health());
        }
        dependencies(services, names);
        if (capacity != null && demandsKnown && totalDemand > capacity) {
            add(
                    "/services",
                    "capacity",
                    String.format(
                            java.util.Locale.ROOT,
                            "total demand %s/s exceeds tier capacity %s/s: the plan could never finish",
                            number(totalDemand),
                            number(capacity)));
        }
        return names;
    }

    private void dependencies(List<Service> services, Set<String> names) {
        Map<String, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < services.size(); i++) {
            Service s = services.get(i);
            if (s != null && s.name() != null) {
                indexOf.putIfAbsent(s.name(), i);
            }
        }
        for (int i = 0; i < services.size(); i++) {
            Service s = services.get(i);
            if (s == null || s.dependsOn() == null) {
                continue;
            }
            Set<String> seen = new HashSet<>();
            for (int j = 0; j < s.dependsOn().size(); j++) {
                String at = "/services/" + i + "/dependsOn/" + j;
                String dep = s.dependsOn().get(j);
                if (dep == null) {
                    add(at, "required", "must be a service name");
                } else if (dep.equals(s.name())) {
                    add(
                            at,
                            "self-dependency",
                            "service \"" + dep + "\" depends on itself (" + dep + " -> " + dep + ")");
                } else if (!names.contains(dep)) {
                    add(at, "unknown-service", "unknown service \"" + dep + "\"" + suggestion(dep, names));
                } else if (!seen.add(dep)) {
                    add(at, "duplicate", "\"" + dep + "\" is listed more than once");
                }
            }
        }
        List<Service> named =
                services.stream().filter(s -> s != null && s.name() != null).toList();
        for (List<String> cycle : DependencyGraph.of(named).cycles()) {
            if (cycle.size() <= 2) {
                continue; // a self-dependency, reported above
            }
            // Point at the edge that closes the cycle: the last service's dependency on the first.
            String last = cycle.get(cycle.size() - 2);
            int service = indexOf.get(last);
            int edge = services.get(service).dependsOn().indexOf(cycle.get(0));
            add(
                    "/services/" + service + "/dependsOn/" + edge,
                    "cycle",
                    "dependency cycle: " + String.join(" -> ", cycle));
        }
    }

    private Set<String> stages(List<Stage> stages, Double capacity, double headroom) {
        Set<String> names = new HashSet<>();
        if (stages == null || stages.isEmpty()) {
            add("/stages", stages == null ? "required" : "min-items", "a plan needs at least one stage");
            return names;
        }
        if (stages.size() > PlanLimits.MAX_STAGES) {
            add("/stages", "max-items", "at most " + PlanLimits.MAX_STAGES + " stages, got " + stages.size());
        }
        Double previousShare = null;
        for (int i = 0; i < stages.size(); i++) {
            String at = "/stages/" + i;
            Stage s = stages.get(i);
            if (s == null) {
                add(at, "required", "must be an object");
                previousShare = null;
                continue;
            }
            if (dnsLabel(at + "/name", s.name()) && !names.add(s.name())) {
                add(at + "/name", "duplicate", "stage \"" + s.name() + "\" is declared more than once");
            }
            Double share = stageShare(at, s, capacity);
            if (share != null && previousShare != null && share <= previousShare) {
                add(
                        at,
                        "increasing",
                        String.format(
                                java.util.Locale.ROOT,
                                "admits %s of capacity, not more than the stage before it (%s): stages must strictly increase",
                                number(share),
                                number(previousShare)));
            }
            if (i == stages.size() - 1 && share != null && share < 1.0 - headroom - 1e-9) {
                add(
                        at,
                        "final-stage-full",
                        headroom == 0
                                ? String.format(
                                        java.util.Locale.ROOT,
                                        "the last stage must admit the full capacity (share 1.0), not %s",
                                        number(share))
                                : String.format(
                                        java.util.Locale.ROOT,
                                        "the last stage must admit at least %s of capacity (1 - ramp.headroom), not %s",
                                        number(1.0 - headroom),
                                        number(share)));
            }
            previousShare = share;
            if (positive(at + "/burstSeconds", s.burstSeconds()) && s.burstSeconds() > PlanLimits.MAX_BURST_SECONDS) {
                add(at + "/burstSeconds", "range", "must be at most " + number(PlanLimits.MAX_BURST_SECONDS));
            }
            boolean holdOk = range(at + "/holdSeconds", s.holdSeconds(), 1, PlanLimits.MAX_HOLD_SECONDS);
            if (s.maxSeconds() != null) {
                long min = holdOk ? s.holdSeconds() : 1;
                if (s.maxSeconds() < min || s.maxSeconds() > PlanLimits.MAX_STAGE_SECONDS) {
                    add(
                            at + "/maxSeconds",
                            "range",
                            "must be between holdSeconds (" + min + ") and " + PlanLimits.MAX_STAGE_SECONDS);
                }
            }
        }
        return names;
    }

    /** The share of capacity a stage admits, or null when it cannot be known. */
    private Double stageShare(String at, Stage s, Double capacity) {
        if ((s.share() == null) == (s.ratePerSecond() == null)) {
            add(at, "one-of", "set exactly one of share and ratePerSecond");
            return null;
        }
        if (s.share() != null) {
            if (!finite(at + "/share", s.share())) {
                return null;
            }
            if (s.share() <= 0 || s.share() > 1) {
                add(at + "/share", "range", "must be greater than 0 and at most 1");
                return null;
            }
            return s.share();
        }
        if (!positive(at + "/ratePerSecond", s.ratePerSecond()) || capacity == null) {
            return null;
        }
        if (s.ratePerSecond() > capacity) {
            add(at + "/ratePerSecond", "range", "must not exceed the tier capacity (" + number(capacity) + "/s)");
            return null;
        }
        return s.ratePerSecond() / capacity;
    }

    private void gates(RestorePlan plan, Set<String> services, Set<String> stages) {
        List<Gate> gates = plan.gates();
        if (gates.size() > PlanLimits.MAX_GATES) {
            add("/gates", "max-items", "at most " + PlanLimits.MAX_GATES + " gates, got " + gates.size());
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < gates.size(); i++) {
            String at = "/gates/" + i;
            Gate g = gates.get(i);
            if (g == null) {
                add(at, "required", "must be an object");
                continue;
            }
            if (dnsLabel(at + "/name", g.name()) && !names.add(g.name())) {
                add(at + "/name", "duplicate", "gate \"" + g.name() + "\" is declared more than once");
            }
            if (g.kind() == null) {
                add(at + "/kind", "required", "is required");
                continue;
            }
            boolean errorRate = g.kind() == GateKind.TIER_ERROR_RATE || g.kind() == GateKind.SERVICE_ERROR_RATE;
            boolean latency = g.kind() == GateKind.TIER_LATENCY;
            String kind = g.kind().wireName();
            if (errorRate) {
                if (finite(at + "/maxErrorRatio", g.maxErrorRatio())
                        && (g.maxErrorRatio() < 0 || g.maxErrorRatio() > 1)) {
                    add(at + "/maxErrorRatio", "range", "must be between 0 and 1");
                }
            } else {
                notApplicable(at + "/maxErrorRatio", g.maxErrorRatio(), kind);
            }
            if (g.kind() != GateKind.MANUAL_APPROVAL && g.kind() != GateKind.METRIC && !readable(plan, g)) {
                String owner = g.kind() == GateKind.SERVICE_ERROR_RATE ? "service \"" + g.service() + "\"" : "the tier";
                add(
                        at + "/kind",
                        "no-health-source",
                        owner + " has no health source that reports "
                                + (latency ? "latency" : "errors") + "; add an http or push source, or a prometheus,"
                                + " json or scrape source with signal " + (latency ? "latency-millis" : "error-ratio"));
            }
            if (latency) {
                positive(at + "/maxLatencyMillis", g.maxLatencyMillis());
                if (finite(at + "/percentile", g.percentile()) && (g.percentile() <= 0 || g.percentile() > 100)) {
                    add(at + "/percentile", "range", "must be greater than 0 and at most 100");
                }
            } else {
                notApplicable(at + "/maxLatencyMillis", g.maxLatencyMillis(), kind);
                notApplicable(at + "/percentile", g.percentile(), kind);
            }
            if (g.kind() == GateKind.SERVICE_ERROR_RATE) {
                if (g.service() == null) {
                    add(at + "/service", "required", "is required for kind " + kind);
                } else if (!services.contains(g.service())) {
                    add(
                            at + "/service",
                            "unknown-service",
                            "unknown service \"" + g.service() + "\"" + suggestion(g.service(), services));
                }
            } else if (g.kind() == GateKind.METRIC) {
                metricGate(plan, at, g, services);
            } else {
                notApplicable(at + "/service", g.service(), kind);
            }
            if (g.kind() != GateKind.METRIC) {
                notApplicable(at + "/source", g.source(), kind);
                notApplicable(at + "/min", g.min(), kind);
                notApplicable(at + "/max", g.max(), kind);
            }
            if (g.beforeStage() != null && !stages.contains(g.beforeStage())) {
                add(
                        at + "/beforeStage",
                        "unknown-stage",
                        "unknown stage \"" + g.beforeStage() + "\"" + suggestion(g.beforeStage(), stages));
            }
            range(at + "/windowSeconds", g.windowSeconds(), 1, PlanLimits.MAX_WINDOW_SECONDS);
            range(at + "/greenSamples", g.greenSamples(), 1, PlanLimits.MAX_CONSECUTIVE_SAMPLES);
            range(at + "/redSamples", g.redSamples(), 1, PlanLimits.MAX_CONSECUTIVE_SAMPLES);
        }
    }

    /**
     * A metric gate: its bounds, and the source it reads (of the tier, or of {@code service}), which
     * must report a value of its own (prometheus, json or scrape).
     */
    private void metricGate(RestorePlan plan, String at, Gate g, Set<String> services) {
        if (g.min() == null && g.max() == null) {
            add(at, "required", "set min, max or both: the range of values that is green");
        }
        boolean minOk = g.min() != null && finite(at + "/min", g.min());
        boolean maxOk = g.max() != null && finite(at + "/max", g.max());
        if (minOk && maxOk && g.min() > g.max()) {
            add(at + "/min", "range", "must not exceed max (" + number(g.max()) + "), got " + number(g.min()));
        }
        List<HealthSource> sources;
        String owner;
        if (g.service() == null) {
            sources = plan.tier() == null ? List.of() : plan.tier().health();
            owner = "the tier";
        } else if (!services.contains(g.service())) {
            add(
                    at + "/service",
                    "unknown-service",
                    "unknown service \"" + g.service() + "\"" + suggestion(g.service(), services));
            return;
        } else {
            sources = plan.services().stream()
                    .filter(s -> s != null && g.service().equals(s.name()))
                    .findFirst()
                    .map(Service::health)
                    .orElse(List.of());
            owner = "service \"" + g.service() + "\"";
        }
        if (g.source() == null) {
            add(at + "/source", "required", "is required for kind metric: the health source whose value it reads");
            return;
        }
        Set<String> names = new HashSet<>();
        HealthSource source = null;
        for (HealthSource h : sources) {
            if (h != null && h.name() != null) {
                names.add(h.name());
                if (h.name().equals(g.source()) && source == null) {
                    source = h;
                }
            }
        }
        if (source == null) {
            add(
                    at + "/source",
                    "unknown-source",
                    owner + " has no health source \"" + g.source() + "\"" + suggestion(g.source(), names)
                            + (g.service() == null ? " (a service's source needs the gate's service)" : ""));
        } else if (source.kind() != null && !source.hasSignal()) {
            add(
                    at + "/source",
                    "metric-source",
                    "health source \"" + g.source() + "\" is a " + source.kind().wireName()
                            + " source, which reports no value of its own; a metric gate reads a prometheus, json"
                            + " or scrape source");
        }
    }

    /** Whether the plan declares a source the gate can read its signal from. */
    private static boolean readable(RestorePlan plan, Gate g) {
        List<HealthSource> sources;
        if (g.kind() == GateKind.SERVICE_ERROR_RATE) {
            if (g.service() == null || plan.services() == null) {
                return true; // reported as required
            }
            sources = plan.services().stream()
                    .filter(s -> s != null && g.service().equals(s.name()))
                    .findFirst()
                    .map(Service::health)
                    .orElse(null);
            if (sources == null) {
                return true; // unknown service, reported as such
            }
        } else {
            sources = plan.tier() == null ? List.of() : plan.tier().health();
        }
        Signal wanted = g.kind() == GateKind.TIER_LATENCY ? Signal.LATENCY_MILLIS : Signal.ERROR_RATIO;
        return sources.stream()
                .anyMatch(h -> h != null && h.kind() != null && (!h.hasSignal() || h.signal() == wanted));
    }

    private void healthSources(String at, List<HealthSource> sources) {
        if (sources.size() > PlanLimits.MAX_HEALTH_SOURCES) {
            add(at, "max-items", "at most " + PlanLimits.MAX_HEALTH_SOURCES + " health sources, got " + sources.size());
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < sources.size(); i++) {
            String here = at + "/" + i;
            HealthSource h = sources.get(i);
            if (h == null) {
                add(here, "required", "must be an object");
                continue;
            }
            if (dnsLabel(here + "/name", h.name()) && !names.add(h.name())) {
                add(here + "/name", "duplicate", "health source \"" + h.name() + "\" is declared more than once");
            }
            if (h.kind() == null) {
                add(here + "/kind", "required", "is required");
                continue;
            }
            String kind = h.kind().wireName();
            switch (h.kind()) {
                case HTTP -> {
                    url(here + "/url", h.url());
                    range(here + "/expectStatus", h.expectStatus(), 100, 599);
                    if (h.latencyThresholdMillis() != null) {
                        range(
                                here + "/latencyThresholdMillis",
                                h.latencyThresholdMillis(),
                                1,
                                PlanLimits.MAX_TIMEOUT_MILLIS);
                    }
                    range(here + "/timeoutMillis", h.timeoutMillis(), 1, PlanLimits.MAX_TIMEOUT_MILLIS);
                    notApplicable(here + "/query", h.query(), kind);
                    notApplicable(here + "/signal", h.signal(), kind);
                    notApplicable(here + "/staleAfterSeconds", h.staleAfterSeconds(), kind);
                    notApplicableToScrapeOrJson(here, h, kind, true, true);
                }
                case PROMETHEUS -> {
                    url(here + "/url", h.url());
                    if (h.query() == null || h.query().isBlank()) {
                        add(here + "/query", "required", "is required for kind " + kind);
                    } else if (h.query().length() > PlanLimits.MAX_QUERY_CHARS) {
                        add(
                                here + "/query",
                                "max-length",
                                "must be at most " + PlanLimits.MAX_QUERY_CHARS + " characters");
                    }
                    signal(here, h, kind, "the query's value");
                    range(here + "/timeoutMillis", h.timeoutMillis(), 1, PlanLimits.MAX_TIMEOUT_MILLIS);
                    notApplicable(here + "/expectStatus", h.expectStatus(), kind);
                    notApplicable(here + "/latencyThresholdMillis", h.latencyThresholdMillis(), kind);
                    notApplicable(here + "/staleAfterSeconds", h.staleAfterSeconds(), kind);
                    notApplicableToScrapeOrJson(here, h, kind, true, true);
                }
                case JSON -> {
                    url(here + "/url", h.url());
                    jsonPointer(here + "/pointer", h.pointer());
                    signal(here, h, kind, "the number at the pointer");
                    range(here + "/timeoutMillis", h.timeoutMillis(), 1, PlanLimits.MAX_TIMEOUT_MILLIS);
                    notApplicable(here + "/query", h.query(), kind);
                    notApplicable(here + "/expectStatus", h.expectStatus(), kind);
                    notApplicable(here + "/latencyThresholdMillis", h.latencyThresholdMillis(), kind);
                    notApplicable(here + "/staleAfterSeconds", h.staleAfterSeconds(), kind);
                    notApplicableToScrapeOrJson(here, h, kind, false, true);
                }
                case SCRAPE -> {
                    url(here + "/url", h.url());
                    selector(here + "/metric", h.metric());
                    if (h.measure() == ScrapeMeasure.RATIO) {
                        selector(here + "/totalMetric", h.totalMetric());
                    } else if (h.totalMetric() != null) {
                        add(
                                here + "/totalMetric",
                                "not-applicable",
                                "applies only to measure ratio, not " + h.measure());
                    }
                    signal(here, h, kind, "the measured value");
                    range(here + "/timeoutMillis", h.timeoutMillis(), 1, PlanLimits.MAX_TIMEOUT_MILLIS);
                    notApplicable(here + "/query", h.query(), kind);
                    notApplicable(here + "/expectStatus", h.expectStatus(), kind);
                    notApplicable(here + "/latencyThresholdMillis", h.latencyThresholdMillis(), kind);
                    notApplicable(here + "/staleAfterSeconds", h.staleAfterSeconds(), kind);
                    notApplicableToScrapeOrJson(here, h, kind, true, false);
                }
                case PUSH -> {
                    range(here + "/staleAfterSeconds", h.staleAfterSeconds(), 1, PlanLimits.MAX_WINDOW_SECONDS);
                    notApplicable(here + "/url", h.url(), kind);
                    notApplicable(here + "/query", h.query(), kind);
                    notApplicable(here + "/signal", h.signal(), kind);
                    notApplicable(here + "/expectStatus", h.expectStatus(), kind);
                    notApplicable(here + "/latencyThresholdMillis", h.latencyThresholdMillis(), kind);
                    notApplicable(here + "/timeoutMillis", h.timeoutMillis(), kind);
                    notApplicableToScrapeOrJson(here, h, kind, true, true);
                }
            }
        }
    }

    private void signal(String here, HealthSource h, String kind, String what) {
        if (h.signal() == null) {
            add(
                    here + "/signal",
                    "required",
                    "is required for kind " + kind + " (error-ratio, latency-millis or metric: what " + what
                            + " means)");
        }
    }

    /** The fields only json ({@code pointer}) or only scrape sources ({@code metric}, ...) have. */
    private void notApplicableToScrapeOrJson(
            String here, HealthSource h, String kind, boolean pointer, boolean scrape) {
        if (pointer) {
            notApplicable(here + "/pointer", h.pointer(), kind);
        }
        if (scrape) {
            notApplicable(here + "/metric", h.metric(), kind);
            notApplicable(here + "/measure", h.measure(), kind);
            notApplicable(here + "/totalMetric", h.totalMetric(), kind);
        }
    }

    /** An RFC 6901 JSON pointer: empty (the whole document) or {@code /}-separated, {@code ~} only in ~0 and ~1. */
    private void jsonPointer(String at, String pointer) {
        if (pointer == null) {
            add(at, "required", "is required for kind json: a JSON pointer to the number, e.g. /cache/hitRatio");
            return;
        }
        if (pointer.length() > PlanLimits.MAX_QUERY_CHARS) {
            add(at, "max-length", "must be at most " + PlanLimits.MAX_QUERY_CHARS + " characters");
            return;
        }
        if (!JSON_POINTER.matcher(pointer).matches()) {
            add(
                    at,
                    "json-pointer",
                    "\"" + abbreviate(pointer) + "\" is not a JSON pointer (RFC 6901): empty or starting with '/',"
                            + " with '~' only in ~0 ('~') and ~1 ('/')");
        }
    }

    private void selector(String at, String selector) {
        if (selector == null || selector.isBlank()) {
            add(
                    at,
                    "required",
                    "is required: a metric name, optionally with label matchers, e.g. kv_requests_total{code=~\"5..\"}");
            return;
        }
        if (selector.length() > PlanLimits.MAX_QUERY_CHARS) {
            add(at, "max-length", "must be at most " + PlanLimits.MAX_QUERY_CHARS + " characters");
            return;
        }
        try {
            SeriesSelector.parse(selector);
        } catch (IllegalArgumentException e) {
            add(at, "selector", "\"" + abbreviate(selector) + "\" is not a series selector: " + e.getMessage());
        }
    }

    private void policy(FailurePolicy p) {
        range("/policy/stepBacksBeforePause", p.stepBacksBeforePause(), 1, PlanLimits.MAX_STEP_BACKS);
        range(
                "/policy/unknownHealthPauseSeconds",
                p.unknownHealthPauseSeconds(),
                1,
                PlanLimits.MAX_UNKNOWN_HEALTH_SECONDS);
        if (p.safeRatePerSecond() != null
                && finite("/policy/safeRatePerSecond", p.safeRatePerSecond())
                && p.safeRatePerSecond() < 0) {
            add("/policy/safeRatePerSecond", "range", "must not be negative");
        }
        range(
                "/policy/tickIntervalMillis",
                p.tickIntervalMillis(),
                PlanLimits.MIN_TICK_MILLIS,
                PlanLimits.MAX_TICK_MILLIS);
        range("/policy/retryAfterSeconds", p.retryAfterSeconds(), 1, PlanLimits.MAX_RETRY_AFTER_SECONDS);
    }

    private boolean dnsLabel(String at, String name) {
        if (name == null) {
            add(at, "required", "is required");
            return false;
        }
        if (name.length() > DNS_LABEL_MAX || !DNS_LABEL.matcher(name).matches()) {
            add(
                    at,
                    "dns-label",
                    "\"" + abbreviate(name) + "\" is not a DNS-1123 label: lower-case letters, digits"
                            + " and '-', starting and ending with a letter or digit, at most " + DNS_LABEL_MAX
                            + " characters");
            return false;
        }
        return true;
    }

    private boolean finite(String at, Double value) {
        if (value == null) {
            add(at, "required", "is required");
            return false;
        }
        if (!Double.isFinite(value)) {
            add(at, "finite", "must be a finite number, got " + value);
            return false;
        }
        return true;
    }

    private boolean positive(String at, Double value) {
        if (!finite(at, value)) {
            return false;
        }
        if (value <= 0) {
            add(at, "positive", "must be greater than 0, got " + number(value));
            return false;
        }
        return true;
    }

    private boolean range(String at, Number value, long min, long max) {
        if (value == null) {
            add(at, "required", "is required");
            return false;
        }
        if (value.longValue() < min || value.longValue() > max) {
            add(at, "range", "must be between " + min + " and " + max + ", got " + value);
            return false;
        }
        return true;
    }

    private void url(String at, String url) {
        if (url == null || url.isBlank()) {
            add(at, "required", "is required");
            return;
        }
        if (url.length() > PlanLimits.MAX_URL_CHARS) {
            add(at, "max-length", "must be at most " + PlanLimits.MAX_URL_CHARS + " characters");
            return;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
                add(at, "url", "must be an absolute http or https URL, got \"" + abbreviate(url) + "\"");
            }
        } catch (java.net.URISyntaxException e) {
            add(at, "url", "is not a valid URL: " + e.getReason());
        }
    }

    private void notApplicable(String at, Object value, String kind) {
        if (value != null) {
            add(at, "not-applicable", "does not apply to kind " + kind);
        }
    }

    private void add(String pointer, String rule, String message) {
        violations.add(new Violation(pointer, rule, message));
    }

    /** " (did you mean \"gateway\"?)" when a known name is one or two edits away. */
    static String suggestion(String unknown, Set<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : known.stream().sorted().toList()) {
            int d = editDistance(unknown, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean \"" + best + "\"?)";
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** 1000 rather than 1000.0; 0.05 stays 0.05. */
    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
