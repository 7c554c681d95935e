package dev.sluice.health;

/**
 * One evaluation of a gate over its window.
 *
 * @param value the measured value (error ratio, latency in ms), null when unknown
 * @param threshold the gate's limit the value was compared with
 * @param detail why, for humans: e.g. "p99 312 ms > 250 ms over 30 s (3 sources)"
 */
public record GateReading(Verdict verdict, Double value, Double threshold, String detail) {

    public static GateReading unknown(String why) {
        return new GateReading(Verdict.UNKNOWN, null, null, why);
    }
}
