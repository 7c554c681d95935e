package dev.sluice.health;

import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.HealthGate;
import dev.sluice.plan.HealthSource;
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
 * combined: error ratios are averaged, latencies give the gate's percentile (the latency a
 * prometheus, json or scrape source reports already is an aggregate: the window's highest counts).
 * The gate's value is the worst source's. A metric gate reads one source, and its value is the mean
 * of that source's values in the window. A source whose latest sample is unreadable, or that has no readable sample in the
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
        if (gate instanceof HealthGate.Metric metric) {
            return metric(metric, samples, now);
        }
        boolean latency = gate instanceof HealthGate.TierLatency;
        Signal signal = latency ? Signal.LATENCY_MILLIS : Signal.ERROR_RATIO;
        String service = gate.service();
        List<HealthSource> sources = plan.sourcesOf(service).stream()
                .filter(h -> !h.hasSignal() || h.signal() == signal)
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
                    ? (h.hasSignal() ? max(values) : percentile(values, ((HealthGate.TierLatency) gate).percentile()))
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

    /**
     * A metric gate: the mean of its source's readable values in the window, green within [min,
     * max]. Unknown when the latest sample is unreadable or the window holds no value.
     */
    static GateReading metric(HealthGate.Metric gate, Map<String, List<HealthSample>> samples, Instant now) {
        Instant from = now.minusSeconds(gate.windowSeconds());
        List<HealthSample> window =
                samples.getOrDefault(HealthSample.key(gate.service(), gate.source()), List.of()).stream()
                        .filter(s -> !s.at().isBefore(from) && !s.at().isAfter(now))
                        .toList();
        if (window.isEmpty()) {
            return GateReading.unknown(gate.source() + ": no sample in the last " + gate.windowSeconds() + " s");
        }
        HealthSample latest = window.get(window.size() - 1);
        if (!latest.readable()) {
            return GateReading.unknown(gate.source() + ": " + latest.problem());
        }
        List<Double> values = new ArrayList<>();
        for (HealthSample s : window) {
            Double v = s.valueOf(gate.signal());
            if (s.readable() && v != null) {
                values.add(v);
            }
        }
        if (values.isEmpty()) {
            return GateReading.unknown(gate.source() + ": no value in the last " + gate.windowSeconds() + " s");
        }
        double value = mean(values);
        boolean green = gate.green(value);
        String comparison;
        if (!green) {
            comparison = value < gate.min() ? "< min " + format(gate.min()) : "> max " + format(gate.max());
        } else if (gate.hasMin() && gate.hasMax()) {
            comparison = "within [" + format(gate.min()) + ", " + format(gate.max()) + "]";
        } else {
            comparison = gate.hasMax() ? "<= " + format(gate.max()) : ">= " + format(gate.min());
        }
        String detail = String.format(
                Locale.ROOT,
                "%s %s %s over %d s (mean of %d)",
                gate.source(),
                format(value),
                comparison,
                gate.windowSeconds(),
                values.size());
        return new GateReading(green ? Verdict.GREEN : Verdict.RED, value, gate.nearerBound(value), detail);
    }

    /** Four significant digits, no exponent, no trailing zeros: 0.9512, 812.4, 12000. */
    static String format(double v) {
        if (v == 0) {
            return "0";
        }
        java.math.BigDecimal d = new java.math.BigDecimal(v).round(new java.math.MathContext(4));
        String plain = d.stripTrailingZeros().toPlainString();
        return plain;
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
