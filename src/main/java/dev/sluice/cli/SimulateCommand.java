package dev.sluice.cli;

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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice simulate SCENARIO [--chart FILE.svg] [--services]}: runs a scenario file through
 * every strategy, prints the comparison and writes the chart. A scenario with a grid runs every
 * combination and prints one summary line per scenario instead. No database, no server: pure
 * computation on the simulator's core, so it needs no token either.
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = "Run a simulation scenario through every strategy (no server needed); paths are taken"
                + " relative to where you run it from.")
final class SimulateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SCENARIO.yaml")
    Path scenarioFile;

    @Option(names = "--chart", paramLabel = "FILE.svg", description = "also write the chart here")
    Path chart;

    @Option(names = "--services", description = "also print each service's restoration")
    boolean services;

    private final Context ctx;

    SimulateCommand(Context ctx) {
        this.ctx = ctx;
    }

    /** 0 done, 2 an invalid scenario (bad arguments are 2 too, from picocli). */
    @Override
    public Integer call() {
        PrintStream out = ctx.out();
        PrintStream err = ctx.err();
        List<Scenario> scenarios;
        try {
            ScenarioFiles.Loaded loaded = ScenarioFiles.read(scenarioFile);
            scenarios = Scenario.grid(loaded.spec(), loaded.plan(), memoryBudgetBytes());
        } catch (Scenario.InvalidScenarioException e) {
            err.println(scenarioFile + " is not a valid scenario:");
            e.violations().forEach(v -> err.println("  " + v));
            if (e.overMemoryBudget()) {
                err.println("  (the limit is three quarters of this JVM's maximum heap; JAVA_OPTS=-Xmx... raises it)");
            }
            return ExitCodes.USAGE;
        } catch (PlanParseException e) {
            err.println(scenarioFile + " (or its plan) cannot be read: " + e.getMessage()
                    + (e.line() > 0 ? " at line " + e.line() + ", column " + e.column() : ""));
            return ExitCodes.USAGE;
        } catch (UncheckedIOException e) {
            err.println(e.getMessage());
            return ExitCodes.USAGE;
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
                try {
                    write(chart, SvgChart.render(c));
                } catch (UncheckedIOException e) {
                    err.println(e.getMessage() + ": " + e.getCause().getMessage());
                    return ExitCodes.USAGE;
                }
                out.println("Chart written to " + chart);
            }
        } else {
            out.println(gridTable(scenarios, out));
        }
        out.printf(Locale.ROOT, "Simulated in %.1f s.%n", (System.nanoTime() - started) / 1e9);
        return ExitCodes.OK;
    }

    /** Three quarters of the heap this JVM may grow to: the rest is the JVM's and the output's. */
    static long memoryBudgetBytes() {
        return Runtime.getRuntime().maxMemory() / 4 * 3;
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
