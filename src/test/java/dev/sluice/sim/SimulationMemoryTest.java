package dev.sluice.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationMemoryTest {

    /** n services at 1.5× a tier that comes back at a fifth: the queue grows all run long. */
    static List<ClientProfile> congested(int n, double timeoutSeconds) {
        List<ClientProfile> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clients.add(new ClientProfile(
                    "s" + i,
                    1500.0 / n,
                    60 * 1500.0 / n,
                    3000.0 / n,
                    timeoutSeconds,
                    List.of(),
                    Scenario.DEFAULT_RETRY,
                    false));
        }
        return clients;
    }

    /** Runs a strategy and, at its last step, measures what is live on the heap after a GC. */
    static final class Measuring implements AdmissionStrategy {
        final AdmissionStrategy inner;
        final long lastStep;
        final long baseline;
        long step;
        long usedAtEnd;

        Measuring(AdmissionStrategy inner, long lastStep) {
            this.inner = inner;
            this.lastStep = lastStep;
            this.baseline = usedAfterGc();
        }

        @Override
        public void admit(double[] offered, double[] admitted, SimulationView view) {
            inner.admit(offered, admitted, view);
            if (step++ == lastStep) {
                usedAtEnd = usedAfterGc() - baseline;
            }
        }

        @Override
        public String name() {
            return inner.name();
        }
    }

    static long usedAfterGc() {
        Runtime r = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, r.totalMemory() - r.freeMemory());
        }
        return used;
    }

    static long measure(List<ClientProfile> clients, AdmissionStrategy strategy, SimulationSettings settings) {
        Measuring m = new Measuring(strategy, Math.round(settings.horizonSeconds() / settings.dtSeconds()) - 1);
        Simulator.run(new TierProfile(1000, 0.2, 0), clients, m, settings);
        return m.usedAtEnd;
    }

    @Test
    void aCongestedRunHoldsNoMoreThanTheEstimateAndTheSameOrderOfMagnitude() {
        for (double timeout : new double[] {2, 30}) {
            List<ClientProfile> clients = congested(50, timeout);
            SimulationSettings settings = SimulationSettings.of(0.1, 1200);
            long measured = measure(clients, Strategies.reopenEverything(), settings);
            long estimated = Simulator.estimatedBytes(clients, settings);
            System.err.printf(
                    "memory: 50 services, timeout %.0f s, 12,000 steps: measured %,d B, estimated %,d B%n",
                    timeout, measured, estimated);
            assertThat(measured).as("timeout %.0f s", timeout).isPositive().isLessThanOrEqualTo(estimated);
            assertThat(estimated).as("timeout %.0f s", timeout).isLessThan(10 * measured);
        }
    }

    @Test
    void everyStrategyOfTheReferenceScenarioHoldsNoMoreThanTheEstimate() {
        ScenarioFiles.Loaded loaded = ScenarioFiles.read(java.nio.file.Path.of("examples/scenarios/reference.yaml"));
        Scenario scenario = Scenario.build(loaded.spec(), loaded.plan());
        SimulationSettings settings = scenario.settings().withHorizon(900);
        long estimated = Simulator.estimatedBytes(scenario.clients(), settings);
        for (AdmissionStrategy strategy : scenario.strategies()) {
            Measuring m = new Measuring(strategy, Math.round(900 / settings.dtSeconds()) - 1);
            Simulator.run(scenario.tier(), scenario.clients(), m, settings);
            System.err.printf(
                    "memory: reference scenario, %s: measured %,d B, estimated %,d B%n",
                    strategy.name(), m.usedAtEnd, estimated);
            assertThat(m.usedAtEnd).as(strategy.name()).isLessThanOrEqualTo(estimated);
        }
    }

    @Test
    void theQueueNoLongerGrowsWithTheHorizon() {
        List<ClientProfile> clients = congested(50, 2);
        long shortRun = measure(clients, Strategies.reopenEverything(), SimulationSettings.of(0.1, 300));
        long longRun = measure(clients, Strategies.reopenEverything(), SimulationSettings.of(0.1, 2400));
        // Before the abandoned work ahead was folded, 8× the steps held 8× the cohorts (~128 B each).
        assertThat(longRun).isLessThan(2 * shortRun);
        assertThat(longRun).isLessThan(50L * 24_000 * 16);
    }
}
