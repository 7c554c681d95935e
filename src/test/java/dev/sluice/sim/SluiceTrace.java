package dev.sluice.sim;

import java.nio.file.Path;

/**
 * Prints Sluice's budget timeline for a scenario (a development aid, not a test). With a second
 * argument {@code from-to} (seconds), also prints that stretch of the tier second by second.
 */
public final class SluiceTrace {
    public static void main(String[] args) {
        ScenarioFiles.Loaded loaded = ScenarioFiles.read(Path.of(args[0]));
        Scenario scenario = Scenario.build(loaded.spec(), loaded.plan());
        Comparison comparison = Comparison.run(scenario);
        for (SluiceStrategy.StageChange c : comparison.sluiceStages()) {
            System.out.printf(
                    "%8.1f s  %-8s %-9s %8.0f/s%n", c.atSeconds(), c.stage(), c.status(), c.budgetPerSecond());
        }
        SimulationResult sluice = comparison.sluice();
        System.out.printf(
                "restored %.0f s, T* %.0f s, overload %.0f s%n",
                sluice.restoredSeconds(), sluice.fluidBoundSeconds(), sluice.overloadSeconds());
        if (args.length > 1) {
            String[] range = args[1].split("-");
            Timeline t = sluice.timeline();
            int to = Math.min(Integer.parseInt(range[1]), t.seconds() - 1);
            System.out.println("     s  capacity   offered  admitted   goodput  latency");
            for (int s = Integer.parseInt(range[0]); s <= to; s++) {
                System.out.printf(
                        "%6d %9.0f %9.0f %9.0f %9.0f %7.2fs%n",
                        s,
                        t.capacity().get(s),
                        t.offered().get(s),
                        t.admitted().get(s),
                        t.goodput().get(s),
                        t.latencySeconds().get(s));
            }
        }
    }
}
