package dev.sluice.sim.http;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of the rehearsal endpoint ({@code sluice.simulation.*}). */
@ConfigMapping(prefix = "sluice.simulation")
public interface SimulationLimits {
    /**
     * {@code sluice.simulation.memory-budget}, default {@code 256M}: a scenario whose comparison
     * would need more heap than this (by the simulator's estimate, see docs/simulation.md) is
     * refused. The default fits a 768 MiB pod beside the rest of the server.
     */
    @WithDefault("256M")
    MemorySize memoryBudget();
}
