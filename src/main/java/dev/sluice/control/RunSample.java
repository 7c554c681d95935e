package dev.sluice.control;

import java.time.Duration;
import java.time.Instant;

/**
 * One point of a run's history, as the console charts it.
 *
 * @param budgetPerSecond the stage's budget in force (the ceiling's, between two stages)
 * @param admittedPerSecond the sum of the services' allocations
 * @param wantedPerSecond the sum of what the services' clients want (smoothed); null when no client
 *     has said
 */
public record RunSample(
        Instant at, int stage, double budgetPerSecond, double admittedPerSecond, Double wantedPerSecond) {

    /** How many samples a run's history is thinned to per span of its age: see {@link #spacing}. */
    public static final int POINTS_PER_AGE = 500;

    /**
     * The sample of a run's state as decided at {@code at}.
     */
    public static RunSample of(dev.sluice.plan.CompiledPlan plan, RunState s, Instant at) {
        double wanted = 0;
        boolean anyWant = false;
        for (RunState.ServiceRun r : s.services().values()) {
            if (r.smoothedWantPerSecond() != null) {
                wanted += r.smoothedWantPerSecond();
                anyWant = true;
            }
        }
        return new RunSample(
                at, s.stage(), Ramp.budgetPerSecond(plan, s), s.totalAllocationPerSecond(), anyWant ? wanted : null);
    }

    /**
     * The least time between two stored samples of a run of this age: one second, or a
     * {@link #POINTS_PER_AGE}th of its age when that is longer. A run of age {@code a} then keeps
     * about {@code 500 · (1 + ln(a / 500 s))} samples: with a tick a second, 2,865 after a day and 3,836 after a week.
     */
    public static Duration spacing(Duration age) {
        Duration share = age.dividedBy(POINTS_PER_AGE);
        return share.compareTo(Duration.ofSeconds(1)) > 0 ? share : Duration.ofSeconds(1);
    }
}
