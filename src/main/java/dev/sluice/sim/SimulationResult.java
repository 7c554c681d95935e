package dev.sluice.sim;

import java.util.Map;

/**
 * What one strategy achieved. Request counts are in requests (fractions allowed: the model is fluid).
 *
 * @param restoredSeconds when every service was first up with every backlog drained (NaN: never)
 * @param fluidBoundSeconds the fluid lower bound T* for the same backlog and demand
 * @param pending originals neither served nor failed by the end (backlog, queued, awaiting retry)
 * @param wasted work served after its client had given up
 * @param useless work served in time for a service whose dependencies were down
 * @param retryAmplification all attempts ÷ first attempts
 * @param overloadSeconds one-second windows in which more was admitted than the tier could serve
 * @param metastable goodput over the last stretch below half of what capacity and demand allow
 */
public record SimulationResult(String strategy, double restoredSeconds, double fluidBoundSeconds, double originals,
                               double good, double failed, double pending, double wasted, double useless,
                               double shed, double retryAmplification, double overloadSeconds, double peakOverload,
                               boolean metastable, Map<String, Double> restoredBySeconds) {

    /** restored ÷ T*: 1.0 is the physical limit. */
    public double restorationRatio() {
        return restoredSeconds / fluidBoundSeconds;
    }
}
