package dev.sluice.sim;

/**
 * How a simulation steps.
 *
 * @param dtSeconds the time step
 * @param horizonSeconds how long after the tier's return the simulation runs
 * @param seed the seed of the demand noise: same seed, same result
 * @param demandJitter new requests per step vary uniformly by up to this share of the demand
 * @param retryAfterSeconds a refused client that honours Retry-After comes back uniformly spread
 *     over the next this many seconds (as a jittered Retry-After spreads them)
 */
public record SimulationSettings(
        double dtSeconds, double horizonSeconds, long seed, double demandJitter, double retryAfterSeconds) {

    public SimulationSettings {
        if (!(dtSeconds >= 0.01 && dtSeconds <= 1) || Math.abs(1 / dtSeconds - Math.round(1 / dtSeconds)) > 1e-9) {
            throw new IllegalArgumentException("dtSeconds must divide one second, between 0.01 and 1");
        }
        if (!(horizonSeconds >= 1)) {
            throw new IllegalArgumentException("horizonSeconds must be at least 1");
        }
    }

    public static SimulationSettings of(double dtSeconds, double horizonSeconds) {
        return new SimulationSettings(dtSeconds, horizonSeconds, 1, 0.1, 2);
    }

    public SimulationSettings withHorizon(double seconds) {
        return new SimulationSettings(dtSeconds, seconds, seed, demandJitter, retryAfterSeconds);
    }

    public SimulationSettings withSeed(long next) {
        return new SimulationSettings(dtSeconds, horizonSeconds, next, demandJitter, retryAfterSeconds);
    }

    int stepsPerSecond() {
        return (int) Math.round(1 / dtSeconds);
    }
}
