package dev.sluice.sim;

import java.nio.file.Path;

/** Prints Sluice's budget timeline for a scenario (a development aid, not a test). */
public final class SluiceTrace {
    public static void main(String[] args) {
        ScenarioFiles.Loaded loaded = ScenarioFiles.read(Path.of(args[0]));
        Scenario scenario = Scenario.build(loaded.spec(), loaded.plan());
        Comparison comparison = Comparison.run(scenario);
        for (SluiceStrategy.StageChange c : comparison.sluiceStages()) {
            System.out.printf(
                    "%8.1f s  %-8s %-9s %8.0f/s%n", c.atSeconds(), c.stage(), c.status(), c.budgetPerSecond());
        }
    }
}
