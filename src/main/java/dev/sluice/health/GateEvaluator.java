package dev.sluice.health;

import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.HealthGate;
import dev.sluice.plan.HealthSource;
import dev.sluice.plan.HealthSourceKind;
import dev.sluice.plan.Signal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the samples of a plan's health sources into one reading per gate. Pure.
 *
 * <p>For each source that reports the gate's signal, the samples inside the gate's window are
 * combined: error ratios are averaged, latencies give the gate's percentile (a Prometheus latency
 * query already is a percentile: its values are taken as they are). The gate's value is the worst
 * source's. A source whose latest sample is unreadable, or that has no readable sample in the
 * window, makes the gate unknown: a gate is never green on missing data.
 */
public final class GateEvaluator {
    private GateEvaluator() {}

    public static Map<String, GateReading> evaluate(
            CompiledPlan plan, Map<String, List<HealthSample>> samples, Instant now) {
        Map<String, GateReading> readings = new HashMap<>();
        for (HealthGate gate : plan.healthGates()) {
            readings.put(gate.name(), evaluate(plan, gate, samples, now));
        }
        return readings;
    }

    static GateReading evaluate(
            CompiledPlan plan, HealthGate gate, Map<String, List<HealthSample>> samples, Instant now) {
        boolean latency = gate instanceof HealthGate.TierLatency;
        Signal signal = latency ? Signal.LATENCY_MILLIS : Signal.ERROR_RATIO;
        String service = gate.service();
        List<HealthSource> sources = plan.sourcesOf(service).stream()
                .filter(h -> h.kind() != HealthSourceKind.PROMETHEUS || h.signal() == signal)
                .toList();
        if (sources.isEmpty()) {
            return GateReading.unknown("no source reports " + (latency ? "latency" : "errors"));
        }
        Instant from = now.minusSeconds(gate.windowSeconds());
        double worst = Double.NEGATIVE_INFINITY;
        String worstSource = null;
        for (HealthSource h : sources) {
            String key = HealthSample.key(service, h.name());
            List<HealthSample> all = samples.getOrDefault(key, List.of());
            List<HealthSample> window = all.stream()
                    .filter(s -> !s.at().isBefore(from) && !s.at().isAfter(now))
                    .toList();
            if (window.isEmpty()) {
                return GateReading.unknown(h.name() + ": no sample in the last " + gate.windowSeconds() + " s");
            }
            HealthSample latest = window.get(window.size() - 1);
            if (!latest.readable()) {
                return GateReading.unknown(h.name() + ": " + latest.problem());
            }
            List<Double> values = new ArrayList<>();
            for (HealthSample s : window) {
                Double v = latency ? s.latencyMillis() : s.errorRatio();
                if (s.readable() && v != null) {
                    values.add(v);
                }
            }
            if (values.isEmpty()) {
                return GateReading.unknown(h.name() + ": reports no " + (latency ? "latency" : "error ratio"));
            }
            double value = latency
                    ? (h.kind() == HealthSourceKind.PROMETHEUS
                            ? max(values)
                            : percentile(values, ((HealthGate.TierLatency) gate).percentile()))
                    : mean(values);
            if (value > worst) {
                worst = value;
                worstSource = h.name();
            }
        }
        double threshold = gate.threshold();
        boolean green = worst <= threshold;
        String detail = latency
                ? String.format(
                        Locale.ROOT,
                        "p%s %.0f ms %s %.0f ms over %d s (worst: %s)",
                        trim(((HealthGate.TierLatency) gate).percentile()),
                        worst,
                        green ? "<=" : ">",
                        threshold,
                        gate.windowSeconds(),
                        worstSource)
                : String.format(
                        Locale.ROOT,
                        "error ratio %.4f %s %.4f over %d s (worst: %s)",
                        worst,
                        green ? "<=" : ">",
                        threshold,
                        gate.windowSeconds(),
                        worstSource);
        return new GateReading(green ? Verdict.GREEN : Verdict.RED, worst, threshold, detail);
    }

    /** Nearest-rank percentile. */
    static double percentile(List<Double> values, double percentile) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
