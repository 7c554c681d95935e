package dev.sluice.sim;

/**
 * The recovering tier's capacity over time, from the moment it comes back (t = 0): a share of its
 * healthy capacity at first, rising linearly to all of it over {@code rampSeconds} (0: a step).
 */
public record TierProfile(double healthyPerSecond, double startShare, double rampSeconds) {

    public double capacityAt(double t) {
        if (rampSeconds <= 0 || t >= rampSeconds) {
            return healthyPerSecond;
        }
        return healthyPerSecond * (startShare + (1 - startShare) * Math.max(0, t) / rampSeconds);
    }

    /**
     * The fluid lower bound on restoration time: the first T at which the capacity the steady
     * demand leaves spare, ∫₀ᵀ max(0, C(t) − D) dt, covers the backlog B. While the tier is back
     * above the demand this is the usual min{T : ∫₀ᵀ C(t) dt ≥ B + D·T}; while it is still below,
     * demand that arrives cannot be served at all (interactive requests fail; they are not owed
     * later), so no spare capacity accrues. Infinite if the demand never leaves any.
     */
    public double fluidBoundSeconds(double backlog, double demandPerSecond, double dtSeconds, double horizonSeconds) {
        double spare = 0;
        for (long step = 0; step * dtSeconds <= horizonSeconds; step++) {
            double t = step * dtSeconds;
            double capacity = capacityAt(t);
            spare += Math.max(0, capacity - demandPerSecond) * dtSeconds;
            if (capacity >= demandPerSecond && spare >= backlog) {
                return t + dtSeconds;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** "step to 100%" or "20% → 100% over 300 s". */
    public String describe() {
        if (rampSeconds <= 0 || startShare >= 1) {
            return "step to 100%";
        }
        return String.format(
                java.util.Locale.ROOT, "%.0f%% → 100%% over %s", startShare * 100, Scenario.duration(rampSeconds));
    }
}
