package dev.sluice.plan;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A plan ready to run: every default applied, every field set (primitives where the document has
 * boxed, optional values), gates split into health gates (one record per kind) and manual
 * approvals, the dependency graph and each service's depth built once. Only {@link PlanCompiler}
 * makes one, and only from a valid document; the controller, admission and the simulator run on
 * compiled plans only. Immutable.
 *
 * @param document the document it was compiled from, defaults applied (what the API shows)
 * @param approvals stages that need an operator's approval before the ramp enters them; the
 *     {@link #APPROVE_EVERY_STAGE} entry stands for an approval gate without {@code beforeStage}
 */
public record CompiledPlan(
        String name,
        RestorePlan document,
        Tier tier,
        List<Service> services,
        Map<String, Service> servicesByName,
        List<Stage> stages,
        List<HealthGate> healthGates,
        List<String> approvals,
        Policy policy,
        Admission admission,
        Ramp ramp,
        DependencyGraph graph,
        Map<String, Integer> depth) {

    /** In {@link #approvals()}: every stage needs an approval. */
    public static final String APPROVE_EVERY_STAGE = "*";

    public CompiledPlan {
        services = List.copyOf(services);
        servicesByName = Map.copyOf(servicesByName);
        stages = List.copyOf(stages);
        healthGates = List.copyOf(healthGates);
        approvals = List.copyOf(approvals);
        depth = Map.copyOf(depth);
    }

    /** The recovering tier: its capacity as the plan states it, and its health sources. */
    public record Tier(String name, double capacityPerSecond, List<HealthSource> health) {
        public Tier {
            health = List.copyOf(health);
        }
    }

    /**
     * A dependent service.
     *
     * @param demandPerSecond requests/s it needs once fully restored
     * @param dependsOn services of the plan that must come back first
     */
    public record Service(
            String name, double demandPerSecond, Priority priority, List<String> dependsOn, List<HealthSource> health) {
        public Service {
            dependsOn = List.copyOf(dependsOn);
            health = List.copyOf(health);
        }
    }

    /**
     * One step of the ramp.
     *
     * @param share of the tier's capacity this stage admits (from the document's share or rate)
     * @param burstSeconds how many seconds of allocation a bucket may hold
     * @param holdSeconds minimum time at this stage before the ramp may advance
     * @param maxSeconds longest time at this stage before the run pauses, if set
     */
    public record Stage(String name, double share, double burstSeconds, long holdSeconds, OptionalLong maxSeconds) {}

    /**
     * What a run does when things go wrong, and the pacing of its loop.
     *
     * @param safeRatePerSecond per-service rate a client falls back to without Sluice, and the
     *     floor an aborted run freezes at
     */
    public record Policy(
            GateFailureAction onGateFailure,
            int stepBacksBeforePause,
            long unknownHealthPauseSeconds,
            double safeRatePerSecond,
            long tickIntervalMillis,
            long retryAfterSeconds) {}

    /**
     * How the ramp paces itself and searches for the tier's ceiling (see {@link RampPolicy}, whose
     * fields these are, every one set).
     */
    public record Ramp(
            long minHoldSeconds,
            double marginRatio,
            long serviceUpSeconds,
            long reprobeAfterSeconds,
            double ceilingResolution,
            double trickleShare,
            long regressionWindowSeconds,
            double headroom) {}

    /**
     * How admission is enforced; leases last {@code leaseSeconds}. The per-plan address answers
     * {@code whenNoRun} outside a run, and its "unrestricted" answers hold {@code unrestrictedSeconds}.
     */
    public record Admission(AdmissionMode mode, long leaseSeconds, WhenNoRun whenNoRun, long unrestrictedSeconds) {
        public Admission(AdmissionMode mode, long leaseSeconds) {
            this(mode, leaseSeconds, PlanDefaults.WHEN_NO_RUN, PlanDefaults.UNRESTRICTED_SECONDS);
        }
    }

    /** The service named, or null. */
    public Service service(String name) {
        return servicesByName.get(name);
    }

    public boolean hasService(String name) {
        return servicesByName.containsKey(name);
    }

    /** The stage's total admission budget, requests/s. */
    public double budgetPerSecond(int stage) {
        return stages.get(stage).share() * tier.capacityPerSecond();
    }

    public boolean isLastStage(int stage) {
        return stage == stages.size() - 1;
    }

    /** Whether entering {@code stage} needs an operator's approval. */
    public boolean needsApproval(Stage stage) {
        return approvals.contains(APPROVE_EVERY_STAGE) || approvals.contains(stage.name());
    }

    /** Health gates that matter at {@code stage}: those guarding every advance, or the next one. */
    public List<HealthGate> activeHealthGates(int stage) {
        String next = stage + 1 < stages.size() ? stages.get(stage + 1).name() : null;
        return healthGates.stream()
                .filter(g -> g.beforeStage() == null || g.beforeStage().equals(next))
                .toList();
    }

    /**
     * The same plan without the health gates {@code drop} selects (a rehearsal that cannot model
     * what they read).
     */
    public CompiledPlan withoutHealthGates(java.util.function.Predicate<HealthGate> drop) {
        return new CompiledPlan(
                name,
                document,
                tier,
                services,
                servicesByName,
                stages,
                healthGates.stream().filter(drop.negate()).toList(),
                approvals,
                policy,
                admission,
                ramp,
                graph,
                depth);
    }

    /** The health gate named, or null (a manual approval, or no such gate). */
    public HealthGate healthGate(String name) {
        return healthGates.stream()
                .filter(g -> g.name().equals(name))
                .findFirst()
                .orElse(null);
    }

    /** The health source named of the tier (service null) or of one service, or null. */
    public HealthSource source(String service, String name) {
        return sourcesOf(service).stream()
                .filter(h -> h.name().equals(name))
                .findFirst()
                .orElse(null);
    }

    /** Every health source of the tier (service null) or of one service, in plan order. */
    public List<HealthSource> sourcesOf(String service) {
        if (service == null) {
            return tier.health();
        }
        Service s = servicesByName.get(service);
        return s == null ? List.of() : s.health();
    }
}
