package dev.sluice.plan;

import java.util.List;

/**
 * A dependent service that sends traffic to the tier.
 *
 * @param demandPerSecond requests/s the service needs once fully restored
 * @param dependsOn names of other services of the plan that must be restored first
 */
public record Service(
        String name, Double demandPerSecond, Priority priority, List<String> dependsOn, List<HealthSource> health) {}
