package dev.sluice.health;

import java.time.Instant;

/**
 * One reading of one health source. A source that could not be read (timeout, refused, circuit
 * open, no data) gives an unreadable sample: it counts as unknown, never as healthy.
 *
 * @param source the source's key, see {@link #key(String, String)}
 * @param errorRatio share of failed requests, 0..1 (a probe is 0 or 1), null if not measured
 * @param latencyMillis latency in milliseconds, null if not measured
 * @param problem why the sample is unreadable, null when readable
 */
public record HealthSample(
        String source, Instant at, boolean readable, Double errorRatio, Double latencyMillis, String problem) {

    public static HealthSample unreadable(String source, Instant at, String problem) {
        return new HealthSample(source, at, false, null, null, problem);
    }

    /** The key of a source: {@code tier/NAME} for the tier's, {@code service/SERVICE/NAME} for a service's. */
    public static String key(String service, String sourceName) {
        return service == null ? "tier/" + sourceName : "service/" + service + "/" + sourceName;
    }
}
