package dev.sluice.sim;

import java.util.Set;

/**
 * @param queued requests waiting at the tier
 * @param up services whose goodput over the last second reached their demand
 */
public record SimulationView(double t, double dtSeconds, double capacityPerSecond, double queued, Set<String> up) {
}
