package dev.sluice.sim;

import java.util.List;
import java.util.Map;

/**
 * A simulation scenario as written in a scenario file or sent to the simulate endpoint. Every field
 * is optional; {@link Scenario#build} fills defaults and says what is wrong with the rest.
 *
 * @param plan scenario files only: the plan document, relative to the scenario file (the endpoint
 *     simulates the plan named in its path)
 * @param outageSeconds how long the tier was down: with each service's {@code backlogShare}, how
 *     much work was kept to replay
 * @param grid optional: run the scenario over every combination of these values
 */
public record ScenarioSpec(
        String name,
        String description,
        String plan,
        Double outageSeconds,
        TierSpec tier,
        ClientsSpec clients,
        SimulationSpec simulation,
        StrategiesSpec strategies,
        GridSpec grid) {

    /**
     * How capacity comes back, in one of three shapes: {@code startShare} of it at once, all of it
     * after {@code rampSeconds} (0: a step); or from {@code startShare} exponentially, with time
     * constant {@code warmUpSeconds}; or a {@code schedule} of points. {@code actualCapacityFactor}:
     * the tier's real healthy capacity as a multiple of the plan's figure.
     */
    public record TierSpec(
            Double startShare,
            Double rampSeconds,
            Double warmUpSeconds,
            List<PointSpec> schedule,
            Double actualCapacityFactor) {}

    /** A point of a capacity schedule: {@code share} of the healthy capacity at {@code atSeconds}. */
    public record PointSpec(Double atSeconds, Double share) {}

    /**
     * Client behaviour for every service, with per-service overrides.
     *
     * @param backlogShare share of the demand during the outage that clients kept and replay
     * @param backlogRate how fast clients replay it, as a multiple of their demand
     * @param patienceSeconds how long, on average, an interactive caller waits out refusals
     */
    public record ClientsSpec(
            Double timeoutSeconds,
            RetrySpec retry,
            Boolean honoursRetryAfter,
            Double backlogShare,
            Double backlogRate,
            Double patienceSeconds,
            Map<String, ServiceClientSpec> services) {}

    public record ServiceClientSpec(
            Double timeoutSeconds,
            RetrySpec retry,
            Boolean honoursRetryAfter,
            Double backlogShare,
            Double backlogRate,
            Double patienceSeconds) {}

    /**
     * {@code policy}: immediate, backoff, budget or adaptive; see {@link RetryPolicy}. {@code
     * jitter}: backoff only, full jitter (true, the default) or none.
     */
    public record RetrySpec(
            String policy,
            Integer maxAttempts,
            Double baseDelaySeconds,
            Double maxDelaySeconds,
            Double budgetRatio,
            Double throttleK,
            Boolean jitter) {}

    /** {@code horizonSeconds} absent: long enough for the fluid bound three times over, at least an hour. */
    public record SimulationSpec(
            Long stepMillis, Double horizonSeconds, Long seed, Double demandJitter, Double retryAfterSeconds) {}

    /**
     * The baselines' parameters, and the rehearsal's operator.
     *
     * @param approvalDelaySeconds how long after a hold ends the operator approves a manual gate
     * @param resumeDelaySeconds how long after the run pauses the operator resumes it
     */
    public record StrategiesSpec(
            List<Double> linearRampSeconds,
            Double envoyWindowSeconds,
            Double envoyMinWeight,
            List<Double> envoyAggressions,
            Double approvalDelaySeconds,
            Double resumeDelaySeconds) {}

    /**
     * @param loads total demand as a share of the tier's capacity: every service's demand is scaled
     */
    public record GridSpec(
            List<Double> loads, List<Double> outageSeconds, List<TierSpec> tiers, List<RetrySpec> retries) {}
}
