package dev.sluice.sim.cli;

import dev.sluice.plan.PlanParseException;
import dev.sluice.sim.Comparison;
import dev.sluice.sim.Scenario;
import dev.sluice.sim.ScenarioFiles;
import dev.sluice.sim.SimulationResult;
import dev.sluice.sim.SvgChart;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code sluice simulate SCENARIO [--chart FILE.svg]}: runs a scenario file through every strategy,
 * prints the comparison and writes the chart. A scenario with a grid runs every combination and
 * prints one summary line per scenario instead. No database, no server: pure computation.
 */
public final class SimulateCommand {
    static final String USAGE = "usage: sluice simulate SCENARIO.yaml [--chart FILE.svg] [--services]";

    private SimulateCommand() {}

    /** Returns the process exit code: 0 done, 2 bad arguments or an invalid scenario. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Path scenarioFile = null;
        Path chart = null;
        boolean services = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--chart") && i + 1 < args.size()) {
                chart = Path.of(args.get(++i));
            } else if (a.equals("--services")) {
                services = true;
            } else if (!a.startsWith("--") && scenarioFile == null) {
                scenarioFile = Path.of(a);
            } else {
                err.println(USAGE);
                return 2;
            }
        }
        if (scenarioFile == null) {
            err.println(USAGE);
            return 2;
        }
        List<Scenario> scenarios;
        try {
            ScenarioFiles.Loaded loaded = ScenarioFiles.read(scenarioFile);
            scenarios = Scenario.grid(loaded.spec(), loaded.plan());
        } catch (Scenario.InvalidScenarioException e) {
            err.println(scenarioFile + " is not a valid scenario:");
            e.violations().forEach(v -> err.println("  " + v));
            return 2;
        } catch (PlanParseException e) {
            err.println(scenarioFile + " (or its plan) cannot be read: " + e.getMessage()
                    + (e.line() > 0 ? " at line " + e.line() + ", column " + e.column() : ""));
            return 2;
        } catch (UncheckedIOException e) {
            err.println(e.getMessage());
            return 2;
        }
        long started = System.nanoTime();
        if (scenarios.size() == 1) {
            Comparison c = Comparison.run(scenarios.get(0));
            out.println(c.header());
            out.println(c.table());
            if (services) {
                out.println(c.serviceTable());
            }
            out.println(c.targetsText());
            if (chart != null) {
                write(chart, SvgChart.render(c));
                out.println("Chart written to " + chart);
            }
        } else {
            out.println(gridTable(scenarios, out));
        }
        out.printf(Locale.ROOT, "Simulated in %.1f s.%n", (System.nanoTime() - started) / 1e9);
        return 0;
    }

    /** One line per grid scenario: the bound, Sluice, the best baseline, reopening, and the targets. */
    static String gridTable(List<Scenario> scenarios, PrintStream progress) {
        StringBuilder table = new StringBuilder();
        table.append("| scenario | T* | sluice ÷ T* | sluice overload-s | sluice overload vol. | sluice ampl. | "
                + "best baseline ÷ T* | reopen-everything | oracle ÷ T* | targets |\n");
        table.append("|---|---:|---:|---:|---:|---:|---:|---|---:|---|\n");
        int unrestorable = 0;
        int met = 0;
        int[] perTarget = new int[4];
        List<String> targetNames = List.of();
        int reopenMetastable = 0;
        List<String> missed = new ArrayList<>();
        for (Scenario s : scenarios) {
            Comparison c = Comparison.run(s);
            SimulationResult sluice = c.sluice();
            SimulationResult reopen = c.result("reopen-everything");
            SimulationResult best = c.results().stream()
                    .filter(r -> !r.strategy().equals("sluice") && !r.strategy().equals("oracle") && r.restored())
                    .min(java.util.Comparator.comparingDouble(SimulationResult::restoredSeconds))
                    .orElse(null);
            List<Comparison.Target> targets = c.targets();
            targetNames = targets.stream().map(Comparison.Target::name).toList();
            for (int i = 0; i < targets.size(); i++) {
                perTarget[i] += targets.get(i).met() ? 1 : 0;
            }
            reopenMetastable += reopen.metastable() ? 1 : 0;
            unrestorable += Double.isFinite(sluice.fluidBoundSeconds()) ? 0 : 1;
            boolean all = targets.stream().allMatch(Comparison.Target::met);
            met += all ? 1 : 0;
            if (!all) {
                missed.add(s.name() + ": "
                        + String.join(
                                "; ",
                                c.targets().stream()
                                        .filter(t -> !t.met())
                                        .map(t -> t.name() + " (" + t.measured() + ")")
                                        .toList()));
            }
            table.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %.0f | %s | %.2f | %s | %s | %s | %s |%n",
                    s.name(),
                    Comparison.seconds(sluice.fluidBoundSeconds()),
                    ratio(sluice),
                    sluice.overloadSeconds(),
                    Comparison.count(sluice.overloadVolume()),
                    sluice.retryAmplification(),
                    best == null ? "none restored" : ratio(best) + " (" + best.strategy() + ")",
                    reopen.metastable() ? "metastable" : reopen.restored() ? ratio(reopen) + "× T*" : "not restored",
                    ratio(c.result("oracle")),
                    all ? "met" : "missed"));
            progress.print('.');
        }
        progress.println();
        table.append(String.format(
                Locale.ROOT, "%nSluice met every target in %d of %d scenarios. Per target:%n", met, scenarios.size()));
        for (int i = 0; i < targetNames.size(); i++) {
            table.append(String.format(
                    Locale.ROOT, "  %-60s %d of %d%n", targetNames.get(i), perTarget[i], scenarios.size()));
        }
        table.append(String.format(
                Locale.ROOT,
                "Reopening everything ended metastable in %d of %d.%n",
                reopenMetastable,
                scenarios.size()));
        if (unrestorable > 0) {
            table.append(String.format(
                    Locale.ROOT,
                    "No strategy can restore %d of %d: their demand is above the tier's real capacity (T* = ∞).%n",
                    unrestorable,
                    scenarios.size()));
        }
        missed.forEach(m -> table.append("  missed: ").append(m).append('\n'));
        return table.toString();
    }

    private static String ratio(SimulationResult r) {
        return r.restored() ? String.format(Locale.ROOT, "%.2f", r.restorationRatio()) : "never";
    }

    private static void write(Path file, String content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
