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
     * The fluid lower bound on restoration time: the first T at which the capacity delivered since
     * t = 0 covers the backlog plus the demand that arrived meanwhile. Infinite if it never does.
     */
    public double fluidBoundSeconds(double backlog, double demandPerSecond, double dtSeconds, double horizonSeconds) {
        double served = 0;
        for (double t = 0; t <= horizonSeconds; t += dtSeconds) {
            served += capacityAt(t) * dtSeconds;
            if (served >= backlog + demandPerSecond * (t + dtSeconds)) {
                return t + dtSeconds;
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
