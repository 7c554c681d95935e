package dev.sluice.console;

import dev.sluice.plan.Violation;
import dev.sluice.sim.Comparison;
import dev.sluice.sim.ScenarioSpec;
import dev.sluice.sim.SimulationResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rehearsal form's scenario parameters as a {@link ScenarioSpec} (each field optional: blank
 * takes the scenario's default), and a comparison as the page's table. A parameter that is not a
 * number is a violation at its pointer, as the simulator's own rules are. Pure.
 */
public final class Rehearsal {
    /** The form's fields: name → JSON pointer in the scenario, in the order shown. */
    public static final Map<String, String> FIELDS = fields();

    private Rehearsal() {}

    private static Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("outageSeconds", "/outageSeconds");
        f.put("startShare", "/tier/startShare");
        f.put("rampSeconds", "/tier/rampSeconds");
        f.put("actualCapacityFactor", "/tier/actualCapacityFactor");
        f.put("backlogShare", "/clients/backlogShare");
        f.put("retryPolicy", "/clients/retry/policy");
        f.put("horizonSeconds", "/simulation/horizonSeconds");
        f.put("seed", "/simulation/seed");
        return Map.copyOf(f);
    }

    /** The spec, or the violations of the fields that are not numbers. */
    public record Parsed(ScenarioSpec spec, List<Violation> violations) {}

    public static Parsed parse(Map<String, String> form) {
        List<Violation> violations = new ArrayList<>();
        Double outage = number(form, "outageSeconds", violations);
        Double startShare = number(form, "startShare", violations);
        Double ramp = number(form, "rampSeconds", violations);
        Double factor = number(form, "actualCapacityFactor", violations);
        Double backlog = number(form, "backlogShare", violations);
        Double horizon = number(form, "horizonSeconds", violations);
        Double seed = number(form, "seed", violations);
        if (seed != null && (seed != Math.rint(seed) || Math.abs(seed) > 1e15)) {
            violations.add(new Violation("/simulation/seed", "integer", "must be a whole number"));
        }
        String policy = blankToNull(form.get("retryPolicy"));
        if (!violations.isEmpty()) {
            return new Parsed(null, violations);
        }
        ScenarioSpec.TierSpec tier = startShare == null && ramp == null && factor == null
                ? null
                : new ScenarioSpec.TierSpec(startShare, ramp, null, null, factor);
        ScenarioSpec.ClientsSpec clients = backlog == null && policy == null
                ? null
                : new ScenarioSpec.ClientsSpec(
                        null,
                        policy == null ? null : new ScenarioSpec.RetrySpec(policy, null, null, null, null, null, null),
                        null,
                        backlog,
                        null,
                        null,
                        null);
        ScenarioSpec.SimulationSpec simulation = horizon == null && seed == null
                ? null
                : new ScenarioSpec.SimulationSpec(null, horizon, seed == null ? null : seed.longValue(), null, null);
        return new Parsed(
                new ScenarioSpec("console", null, null, outage, tier, clients, simulation, null, null), List.of());
    }

    /** One strategy's line of the comparison table, in words and rounded numbers. */
    public record Line(
            String strategy,
            String restored,
            String ratio,
            String overloadSeconds,
            String peak,
            String goodput,
            String wasted,
            String retryAmplification,
            String metastable) {}

    public static List<Line> lines(Comparison c) {
        List<Line> lines = new ArrayList<>();
        for (SimulationResult r : c.results()) {
            lines.add(new Line(
                    r.strategy(),
                    r.restored() ? format("%.0f s", r.restoredSeconds()) : "not restored",
                    r.restored() ? format("%.2f× T*", r.restorationRatio()) : "–",
                    format("%.0f s", r.overloadSeconds()),
                    format("%.2f×", r.peakOverload()),
                    format("%.0f", r.good()),
                    format("%.0f", r.wasted()),
                    format("%.2f", r.retryAmplification()),
                    r.metastable() ? "⚠ yes" : "no"));
        }
        return lines;
    }

    private static Double number(Map<String, String> form, String field, List<Violation> violations) {
        String raw = blankToNull(form.get(field));
        if (raw == null) {
            return null;
        }
        try {
            double v = Double.parseDouble(raw);
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            violations.add(new Violation(FIELDS.get(field), "number", "must be a number, was \"" + raw + "\""));
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String format(String f, double v) {
        return String.format(Locale.ROOT, f, v);
    }
}
