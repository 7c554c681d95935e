package dev.sluice.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorTest {
    private static final double DT = 0.1;

    /** Three services at {@code load} of a 1,000/s tier: b waits for a; c is independent. */
    private static List<ClientProfile> clients(double load, int maxAttempts) {
        double each = 1000 * load / 3;
        return List.of(
                new ClientProfile("a", each, each * 60, each, 2.0, maxAttempts, List.of(), true),
                new ClientProfile("b", each, each * 60, each, 2.0, maxAttempts, List.of("a"), true),
                new ClientProfile("c", each, each * 60, each, 2.0, maxAttempts, List.of(), true));
    }

    @Test
    void everyRequestIsServedFailedOrStillPending() {
        TierProfile tier = new TierProfile(1000, 0.2, 60);
        for (AdmissionStrategy s : List.of(Strategies.reopenEverything(), Strategies.oracle(clients(0.7, 3)))) {
            SimulationResult r = Simulator.run(tier, clients(0.7, 3), s, DT, 600);
            assertThat(r.good() + r.failed() + r.pending()).as(s.name())
                    .isCloseTo(r.originals(), within(r.originals() * 1e-9));
        }
    }

    @Test
    void reopeningEverythingWithImmediateRetriesAtHighDemandEndsMetastable() {
        TierProfile tier = new TierProfile(1000, 0.2, 60);
        SimulationResult reopen = Simulator.run(tier, clients(0.9, 5), Strategies.reopenEverything(), DT, 900);
        assertThat(reopen.metastable()).isTrue();
        assertThat(reopen.restoredSeconds()).isNaN();
        assertThat(reopen.wasted()).isGreaterThan(reopen.good());
        assertThat(reopen.retryAmplification()).isGreaterThan(2);
        assertThat(reopen.overloadSeconds()).isGreaterThan(800);
    }

    @Test
    void theOracleRestoresNearTheFluidBoundAndNeverLosesToReopening() {
        for (double load : new double[] {0.3, 0.5, 0.7, 0.9}) {
            TierProfile tier = new TierProfile(1000, 0.2, 60);
            SimulationResult oracle = Simulator.run(tier, clients(load, 5), Strategies.oracle(clients(load, 5)), DT, 1800);
            SimulationResult reopen = Simulator.run(tier, clients(load, 5), Strategies.reopenEverything(), DT, 1800);
            assertThat(oracle.restoredSeconds()).as("load %.1f", load).isFinite();
            assertThat(oracle.overloadSeconds()).isZero();
            assertThat(oracle.wasted()).isZero();
            assertThat(oracle.metastable()).isFalse();
            if (!Double.isNaN(reopen.restoredSeconds())) {
                assertThat(oracle.restoredSeconds()).as("load %.1f", load).isLessThanOrEqualTo(reopen.restoredSeconds());
            }
            // Dependencies cost time the fluid bound ignores (b waits for a), but not unboundedly.
            assertThat(oracle.restorationRatio()).as("load %.1f", load).isBetween(0.99, 2.0);
        }
    }

    @Test
    void theOracleRestoresDependenciesFirst() {
        TierProfile tier = new TierProfile(1000, 0.2, 60);
        SimulationResult r = Simulator.run(tier, clients(0.7, 5), Strategies.oracle(clients(0.7, 5)), DT, 1200);
        assertThat(r.restoredBySeconds().get("a")).isLessThan(r.restoredBySeconds().get("b"));
    }

    @Test
    void sameInputsGiveTheSameResult() {
        TierProfile tier = new TierProfile(1000, 0.2, 60);
        assertThat(Simulator.run(tier, clients(0.9, 5), Strategies.reopenEverything(), DT, 300))
                .isEqualTo(Simulator.run(tier, clients(0.9, 5), Strategies.reopenEverything(), DT, 300));
    }

    @Test
    void fluidBoundSolvesCapacityAgainstBacklogPlusDemand() {
        // Step to 1,000/s; demand 500/s; backlog 10,000: 1000 T = 10000 + 500 T  =>  T = 20 s.
        assertThat(new TierProfile(1000, 1.0, 0).fluidBoundSeconds(10_000, 500, 0.01, 1000))
                .isCloseTo(20, within(0.02));
        assertThat(new TierProfile(1000, 1.0, 0).fluidBoundSeconds(10_000, 1000, 0.1, 1000)).isInfinite();
    }
}
