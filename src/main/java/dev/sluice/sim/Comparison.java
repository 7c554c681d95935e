package dev.sluice.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Every strategy of a scenario run on the same tier and clients, and how Sluice measures up to its
 * targets.
 *
 * @param sluiceStages when Sluice's run changed stage or status
 */
public record Comparison(
        Scenario scenario, List<SimulationResult> results, List<SluiceStrategy.StageChange> sluiceStages) {

    /** Sluice's targets: how close to the fluid bound, how little overload and retry amplification. */
    public static final double TARGET_RATIO = 1.3;

    public static final double TARGET_AMPLIFICATION = 1.1;

    /** Runs every strategy; independent strategies run in parallel, the result does not depend on it. */
    public static Comparison run(Scenario scenario) {
        List<AdmissionStrategy> strategies = scenario.strategies();
        SimulationResult[] results = new SimulationResult[strategies.size()];
        IntStream.range(0, strategies.size())
                .parallel()
                .forEach(i -> results[i] =
                        Simulator.run(scenario.tier(), scenario.clients(), strategies.get(i), scenario.settings()));
        List<SluiceStrategy.StageChange> stages = strategies.stream()
                .filter(s -> s instanceof SluiceStrategy)
                .map(s -> ((SluiceStrategy) s).stageChanges())
                .findFirst()
                .orElse(List.of());
        return new Comparison(scenario, List.of(results), stages);
    }

    public SimulationResult result(String strategy) {
        return results.stream()
                .filter(r -> r.strategy().equals(strategy))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no strategy " + strategy));
    }

    public SimulationResult sluice() {
        return result("sluice");
    }

    /** One target and whether Sluice met it here. */
    public record Target(String name, String measured, boolean met) {}

    public List<Target> targets() {
        SimulationResult s = sluice();
        SimulationResult reopen = result("reopen-everything");
        List<Target> targets = new ArrayList<>();
        targets.add(new Target(
                "restored within " + TARGET_RATIO + "× T*",
                s.restored() ? String.format(Locale.ROOT, "%.2f× T*", s.restorationRatio()) : "not restored",
                s.restored() && s.restorationRatio() <= TARGET_RATIO));
        targets.add(new Target(
                "zero overload-seconds",
                String.format(Locale.ROOT, "%.0f s", s.overloadSeconds()),
                s.overloadSeconds() == 0));
        targets.add(new Target(
                "retry amplification ≤ " + TARGET_AMPLIFICATION,
                String.format(Locale.ROOT, "%.2f", s.retryAmplification()),
                s.retryAmplification() <= TARGET_AMPLIFICATION));
        targets.add(new Target(
                "no metastable ending where reopening everything has one",
                (s.metastable() ? "metastable" : "recovered") + " (reopen-everything: "
                        + (reopen.metastable() ? "metastable" : "recovered") + ")",
                !s.metastable()));
        return targets;
    }

    /** The comparison as a Markdown table, one row per strategy. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append("| strategy | restored | ÷ T* | overload-s | overload vol. | peak admitted/C | goodput | wasted | "
                + "failed | shed | retry ampl. | ending |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (SimulationResult r : results) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %.0f | %s | %.2f | %s | %s | %s | %s | %.2f | %s |%n",
                    r.strategy(),
                    r.restored() ? seconds(r.restoredSeconds()) : "never",
                    r.restored() ? String.format(Locale.ROOT, "%.2f", r.restorationRatio()) : "–",
                    r.overloadSeconds(),
                    count(r.overloadVolume()),
                    r.peakOverload(),
                    count(r.good()),
                    count(r.wasted()),
                    count(r.failed()),
                    count(r.shed()),
                    r.retryAmplification(),
                    r.metastable() ? "**metastable**" : "recovered"));
        }
        return out.toString();
    }

    /** When each service was first up, per strategy: the dependency order as it happened. */
    public String serviceTable() {
        StringBuilder out = new StringBuilder("| service |");
        results.forEach(r -> out.append(' ').append(r.strategy()).append(" |"));
        out.append('\n').append("|---|");
        results.forEach(r -> out.append("---:|"));
        out.append('\n');
        for (ClientProfile c : scenario.clients()) {
            out.append("| ").append(c.name()).append(" |");
            for (SimulationResult r : results) {
                double at = r.restoredBySeconds().getOrDefault(c.name(), Double.NaN);
                out.append(' ').append(Double.isNaN(at) ? "never" : seconds(at)).append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** A few lines saying what was simulated. */
    public String header() {
        Scenario s = scenario;
        return String.format(
                Locale.ROOT,
                "Scenario %s: plan %s, %d services, demand %.0f/s (%.0f%% of %.0f/s), "
                        + "outage %s, backlog %s requests, tier back %s; clients: %s%s; step %.0f ms, horizon %s, seed %d."
                        + "%nFluid bound T* = %s.%n",
                s.name(),
                s.plan().name(),
                s.clients().size(),
                s.totalDemandPerSecond(),
                100 * s.totalDemandPerSecond() / s.tier().healthyPerSecond(),
                s.tier().healthyPerSecond(),
                Scenario.duration(s.outageSeconds()),
                count(s.totalBacklog()),
                s.tier().describe(),
                s.clients().get(0).retry().describe(),
                s.clients().get(0).honoursRetryAfter() ? ", honour Retry-After" : ", ignore Retry-After",
                s.settings().dtSeconds() * 1000,
                Scenario.duration(s.settings().horizonSeconds()),
                s.settings().seed(),
                seconds(results.get(0).fluidBoundSeconds()));
    }

    public String targetsText() {
        StringBuilder out = new StringBuilder("Sluice against its targets:\n");
        for (Target t : targets()) {
            out.append(String.format(Locale.ROOT, "  %s %s: %s%n", t.met() ? "✓" : "✗", t.name(), t.measured()));
        }
        return out.toString();
    }

    public static String seconds(double s) {
        if (!Double.isFinite(s)) {
            return "∞";
        }
        return s >= 600 ? String.format(Locale.ROOT, "%.1f min", s / 60) : String.format(Locale.ROOT, "%.0f s", s);
    }

    public static String count(double n) {
        if (n >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", n / 1e6);
        }
        return n >= 1e3 ? String.format(Locale.ROOT, "%.1fk", n / 1e3) : String.format(Locale.ROOT, "%.0f", n);
    }

    /** Per strategy, the numbers of the table, for JSON answers. */
    public List<Map<String, Object>> rows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SimulationResult r : results) {
            Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("strategy", r.strategy());
            row.put("restoredSeconds", r.restored() ? r.restoredSeconds() : null);
            row.put("restorationRatio", r.restored() ? r.restorationRatio() : null);
            row.put("overloadSeconds", r.overloadSeconds());
            row.put("overloadVolume", r.overloadVolume());
            row.put("peakAdmittedToCapacity", r.peakOverload());
            row.put("goodput", r.good());
            row.put("wasted", r.wasted());
            row.put("useless", r.useless());
            row.put("failed", r.failed());
            row.put("shed", r.shed());
            row.put("pending", r.pending());
            row.put("retryAmplification", r.retryAmplification());
            row.put("metastable", r.metastable());
            Map<String, Object> services = new java.util.LinkedHashMap<>();
            r.restoredBySeconds().forEach((k, v) -> services.put(k, Double.isNaN(v) ? null : v));
            row.put("serviceUpSeconds", services);
            rows.add(row);
        }
        return rows;
    }
}
