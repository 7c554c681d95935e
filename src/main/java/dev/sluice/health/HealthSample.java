package dev.sluice.health;

import dev.sluice.plan.Signal;
import java.time.Instant;
import java.util.Locale;

/**
 * One reading of one health source. A source that could not be read (timeout, refused, circuit
 * open, no data, garbage) gives an unreadable sample: it counts as unknown, never as healthy. A
 * readable sample may carry no value at all (a counter ratio over a scrape interval without
 * requests): the window's other samples decide then.
 *
 * @param source the source's key, see {@link #key(String, String)}
 * @param errorRatio share of failed requests, 0..1 (a probe is 0 or 1), null if not measured
 * @param latencyMillis latency in milliseconds, null if not measured
 * @param value a value of signal {@code metric}, in the source's own unit, null if not measured
 * @param problem why the sample is unreadable, null when readable
 */
public record HealthSample(
        String source,
        Instant at,
        boolean readable,
        Double errorRatio,
        Double latencyMillis,
        Double value,
        String problem) {

    /** A sample without a {@code metric} value. */
    public HealthSample(
            String source, Instant at, boolean readable, Double errorRatio, Double latencyMillis, String problem) {
        this(source, at, readable, errorRatio, latencyMillis, null, problem);
    }

    public static HealthSample unreadable(String source, Instant at, String problem) {
        return new HealthSample(source, at, false, null, null, null, problem);
    }

    /** A readable sample that carries no value this time. */
    public static HealthSample empty(String source, Instant at) {
        return new HealthSample(source, at, true, null, null, null, null);
    }

    /**
     * A sample of a source with a signal: the value goes where the signal says. Values that cannot
     * be what the signal means are unreadable, not clamped: NaN or infinite, an error ratio outside
     * 0..1 (beyond rounding), a negative latency.
     */
    public static HealthSample of(String source, Instant at, Signal signal, double value) {
        if (!Double.isFinite(value)) {
            return unreadable(source, at, "value is " + (Double.isNaN(value) ? "NaN" : "infinite"));
        }
        return switch (signal) {
            case ERROR_RATIO -> {
                if (value < -1e-9 || value > 1 + 1e-9) {
                    yield unreadable(source, at, String.format(Locale.ROOT, "error ratio %s is outside 0..1", value));
                }
                yield new HealthSample(source, at, true, Math.min(1, Math.max(0, value)), null, null, null);
            }
            case LATENCY_MILLIS -> {
                if (value < 0) {
                    yield unreadable(source, at, String.format(Locale.ROOT, "latency %s ms is negative", value));
                }
                yield new HealthSample(source, at, true, null, value, null, null);
            }
            case METRIC -> new HealthSample(source, at, true, null, null, value, null);
        };
    }

    /** The value this sample carries for {@code signal}, or null. */
    public Double valueOf(Signal signal) {
        return switch (signal) {
            case ERROR_RATIO -> errorRatio;
            case LATENCY_MILLIS -> latencyMillis;
            case METRIC -> value;
        };
    }

    /** The key of a source: {@code tier/NAME} for the tier's, {@code service/SERVICE/NAME} for a service's. */
    public static String key(String service, String sourceName) {
        return service == null ? "tier/" + sourceName : "service/" + service + "/" + sourceName;
    }
}
