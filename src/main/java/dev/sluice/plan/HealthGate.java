package dev.sluice.plan;

/**
 * A compiled health gate: a condition on readings of the tier's (or one service's) health sources,
 * judged with consecutive-sample hysteresis. One record per kind, every field set.
 */
public sealed interface HealthGate
        permits HealthGate.TierErrorRate, HealthGate.TierLatency, HealthGate.ServiceErrorRate {

    String name();

    /** Readings older than this do not count. */
    long windowSeconds();

    /** Consecutive green readings to pass. */
    int greenSamples();

    /** Consecutive red readings to trip. */
    int redSamples();

    /** The stage this gate guards entering; null: it guards every advance, and trips at any stage. */
    String beforeStage();

    /** The service whose sources are read; null for the tier's. */
    default String service() {
        return null;
    }

    /** The gate's threshold, in its signal's unit. */
    double threshold();

    /** Whether it reads the tier's health (tier error rate and latency). */
    default boolean readsTier() {
        return service() == null;
    }

    /** Share of failed tier requests over the window, at most {@code maxErrorRatio}. */
    record TierErrorRate(
            String name, double maxErrorRatio, long windowSeconds, int greenSamples, int redSamples, String beforeStage)
            implements HealthGate {
        @Override
        public double threshold() {
            return maxErrorRatio;
        }
    }

    /** A latency percentile of the tier over the window, at most {@code maxLatencyMillis}. */
    record TierLatency(
            String name,
            double maxLatencyMillis,
            double percentile,
            long windowSeconds,
            int greenSamples,
            int redSamples,
            String beforeStage)
            implements HealthGate {
        @Override
        public double threshold() {
            return maxLatencyMillis;
        }
    }

    /** Share of failed requests of one service over the window, at most {@code maxErrorRatio}. */
    record ServiceErrorRate(
            String name,
            String service,
            double maxErrorRatio,
            long windowSeconds,
            int greenSamples,
            int redSamples,
            String beforeStage)
            implements HealthGate {
        @Override
        public double threshold() {
            return maxErrorRatio;
        }
    }
}
