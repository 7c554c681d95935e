package dev.sluice.plan;

/**
 * One step of the ramp. Exactly one of {@code share} (of the tier's current capacity, 0 &lt; share &le; 1)
 * and {@code ratePerSecond} (absolute) is set.
 *
 * @param burstSeconds how many seconds of allocation a service's bucket may hold
 * @param holdSeconds minimum time at this stage before the ramp may advance
 * @param maxSeconds optional: longest time at this stage before the run pauses for a human
 */
public record Stage(
        String name, Double share, Double ratePerSecond, Double burstSeconds, Long holdSeconds, Long maxSeconds) {

    /** The share of {@code capacityPerSecond} this stage admits. */
    public double effectiveShare(double capacityPerSecond) {
        return share != null ? share : ratePerSecond / capacityPerSecond;
    }
}
