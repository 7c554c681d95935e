package dev.sluice.sim.http;

import dev.sluice.sim.Comparison;
import dev.sluice.sim.Scenario;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * Runs rehearsals one at a time for every door (the simulate endpoint, the console): a simulation is
 * seconds of CPU on all cores, and {@link Scenario#build} bounds each one (horizon, steps, schedule
 * points), so at most one bounded simulation runs in the process at once. Thread-safe.
 */
@ApplicationScoped
public class Rehearsals {
    private final Semaphore oneAtATime = new Semaphore(1);

    /** The comparison, or empty when another simulation is running (the caller says: try again). */
    public Optional<Comparison> runAlone(Scenario scenario) {
        if (!oneAtATime.tryAcquire()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Comparison.run(scenario));
        } finally {
            oneAtATime.release();
        }
    }
}
