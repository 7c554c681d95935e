package dev.sluice.sim;

import java.util.Map;

/**
 * What one strategy achieved. Request counts are in requests (fractions allowed: the model is fluid).
 *
 * @param restoredSeconds when every service was first up with its backlog drained (NaN: never)
 * @param fluidBoundSeconds the fluid lower bound T* for the same backlog, demand and capacity
 * @param originals requests the clients wanted served: their backlog and the new demand
 * @param good originals served in time, for a service whose dependencies were up
 * @param failed originals given up on: out of attempts or out of retry budget
 * @param pending originals neither served nor failed at the end (backlog, queued, awaiting a retry)
 * @param wasted work the tier served after its client had given up
 * @param useless work served in time for a service whose dependencies were down
 * @param shed refusals by the admission layer (429), counted per refusal
 * @param retryAmplification attempts sent ÷ first attempts sent (a re-send after Retry-After is the
 *     same attempt, deferred)
 * @param overloadSeconds one-second windows in which more was admitted than the tier could serve
 * @param overloadVolume requests admitted beyond what the tier could serve, summed over those
 *     windows: a second 0.1% over counts as little as it is
 * @param peakOverload the largest admitted ÷ capacity over a one-second window
 * @param metastable goodput over the last stretch below half of what capacity and demand allow
 * @param restoredBySeconds per service, when it was first up (NaN: never)
 */
public record SimulationResult(
        String strategy,
        double restoredSeconds,
        double fluidBoundSeconds,
        double originals,
        double good,
        double failed,
        double pending,
        double wasted,
        double useless,
        double shed,
        double retryAmplification,
        double overloadSeconds,
        double overloadVolume,
        double peakOverload,
        boolean metastable,
        Map<String, Double> restoredBySeconds,
        Timeline timeline) {

    /** Restoration time ÷ T*: 1.0 is the physical limit; NaN when never restored. */
    public double restorationRatio() {
        return restoredSeconds / fluidBoundSeconds;
    }

    public boolean restored() {
        return !Double.isNaN(restoredSeconds);
    }
}
