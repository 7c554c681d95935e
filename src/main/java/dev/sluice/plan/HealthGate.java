package dev.sluice.plan;

/**
 * A compiled health gate: a condition on readings of the tier's (or one service's) health sources,
 * judged with consecutive-sample hysteresis. One record per kind, every field set.
 */
public sealed interface HealthGate
        permits HealthGate.TierErrorRate, HealthGate.TierLatency, HealthGate.ServiceErrorRate, HealthGate.Metric {

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

    /** The gate's threshold, in its signal's unit: for a {@link Metric} gate its max, or its min without one. */
    double threshold();

    /**
     * Whether {@code value}, a green reading of this gate, is far enough inside its limit for the
     * ramp to shorten a hold ({@code ramp.marginRatio}, in (0, 1]). For the kinds with a maximum:
     * {@code value < marginRatio × threshold}. {@link Metric} says what it means for a minimum and
     * for a range.
     */
    default boolean clearMargin(double value, double marginRatio) {
        return value < marginRatio * threshold();
    }

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

    /**
     * The mean of one source's values over the window, green while it is within {@code [min, max]}
     * (both included).
     *
     * @param service the service whose source it reads; null for a tier source
     * @param source the name of that source
     * @param signal what the source's value means (its {@link HealthSource#signal()})
     * @param min the lowest green value; {@code -Infinity} when the gate has no minimum
     * @param max the highest green value; {@code +Infinity} when the gate has no maximum
     */
    record Metric(
            String name,
            String service,
            String source,
            Signal signal,
            double min,
            double max,
            long windowSeconds,
            int greenSamples,
            int redSamples,
            String beforeStage)
            implements HealthGate {

        public boolean hasMin() {
            return min != Double.NEGATIVE_INFINITY;
        }

        public boolean hasMax() {
            return max != Double.POSITIVE_INFINITY;
        }

        public boolean green(double value) {
            return value >= min && value <= max;
        }

        @Override
        public double threshold() {
            return hasMax() ? max : min;
        }

        /** The bound a value is nearer to: the one it would cross first. */
        public double nearerBound(double value) {
            if (!hasMin()) {
                return max;
            }
            if (!hasMax()) {
                return min;
            }
            return value - min <= max - value ? min : max;
        }

        /**
         * A clear margin, by the gate's shape ({@code r} is {@code marginRatio}):
         * <ul>
         *   <li>max only: {@code value < r × max}, as for the other kinds (the value's floor is taken
         *       to be 0, as it is for rates, depths and lags); never when max ≤ 0;</li>
         *   <li>min only: {@code r × value > min}, the mirror image (the minimum is under
         *       {@code r} of the value); never when min ≤ 0;</li>
         *   <li>both: the value lies in the middle {@code r} share of the range,
         *       {@code |value - (min + max) / 2| < r × (max - min) / 2}: its distance to the nearer
         *       bound is more than {@code (1 - r)} of the half-range.</li>
         * </ul>
         */
        @Override
        public boolean clearMargin(double value, double marginRatio) {
            if (!green(value)) {
                return false;
            }
            if (hasMin() && hasMax()) {
                return Math.abs(value - (min + max) / 2) < marginRatio * (max - min) / 2;
            }
            if (hasMax()) {
                return max > 0 && value < marginRatio * max;
            }
            return min > 0 && marginRatio * value > min;
        }
    }
}
