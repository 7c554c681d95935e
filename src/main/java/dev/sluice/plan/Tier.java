package dev.sluice.plan;

import java.util.List;

/** The recovering storage tier a plan protects. */
public record Tier(String name, Double capacityPerSecond, List<HealthSource> health) {}
