package dev.sluice.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What goes wrong in real outages, as the simulator models it: capacity shapes, a misstated capacity, clients. */
class OutageShapesTest {
    private static final SimulationSettings SETTINGS = SimulationSettings.of(0.1, 300);
    private static final TierProfile WHOLE = new TierProfile(1000, 1.0, 0);

    private static TierProfile.Point at(double seconds, double share) {
        return new TierProfile.Point(seconds, share);
    }

    /** One service without dependencies or backlog: only live requests. */
    private static List<ClientProfile> live(double demand, RetryPolicy retry, boolean honours, double patienceSeconds) {
        return List.of(new ClientProfile("a", demand, 0, 2 * demand, 2.0, List.of(), retry, honours, patienceSeconds));
    }

    /** Refuses everything until {@code untilSeconds}, then admits everything. */
    private static AdmissionStrategy refuseUntil(double untilSeconds) {
        return new AdmissionStrategy() {
            @Override
            public void admit(double[] offered, double[] admitted, SimulationView view) {
                for (int i = 0; i < offered.length; i++) {
                    admitted[i] = view.t() < untilSeconds ? 0 : offered[i];
                }
            }

            @Override
            public String name() {
                return "refuse-until-" + untilSeconds;
            }
        };
    }

    /** Admits {@code share} of the tier's capacity each step, whatever is offered. */
    private static AdmissionStrategy admitShareOfCapacity(double share) {
        return new AdmissionStrategy() {
            @Override
            public void admit(double[] offered, double[] admitted, SimulationView view) {
                double left = share * view.capacityPerSecond() * view.dtSeconds();
                for (int i = 0; i < offered.length; i++) {
                    admitted[i] = Math.min(offered[i], left);
                    left -= admitted[i];
                }
            }

            @Override
            public String name() {
                return "share-" + share;
            }
        };
    }

    @Test
    void capacityScheduleFollowsItsPoints() {
        // Back at 20%, ramps to 100% by 100 s, drops to 30% at 200 s for a minute, then steps back up.
        TierProfile tier = new TierProfile(
                1000,
                new TierProfile.Schedule(
                        List.of(at(0, 0.2), at(100, 1.0), at(200, 1.0), at(200, 0.3), at(260, 0.3), at(260, 1.0))),
                1.0);
        assertThat(tier.capacityAt(0)).isCloseTo(200, within(1e-9));
        assertThat(tier.capacityAt(50)).isCloseTo(600, within(1e-9));
        assertThat(tier.capacityAt(150)).isCloseTo(1000, within(1e-9));
        assertThat(tier.capacityAt(199.9)).isCloseTo(1000, within(1e-9));
        assertThat(tier.capacityAt(200)).isCloseTo(300, within(1e-9));
        assertThat(tier.capacityAt(230)).isCloseTo(300, within(1e-9));
        assertThat(tier.capacityAt(260)).isCloseTo(1000, within(1e-9));
        assertThat(tier.capacityAt(5000)).isCloseTo(1000, within(1e-9));
        // The simulated tier serves exactly that, second by second.
        SimulationResult r = Simulator.run(
                tier, live(100, RetryPolicy.immediate(3), true, 30), Strategies.reopenEverything(), SETTINGS);
        assertThat(r.timeline().capacity().get(230)).isCloseTo(300, within(1e-6));
        assertThat(r.timeline().capacity().get(270)).isCloseTo(1000, within(1e-6));
    }

    @Test
    void warmUpApproachesFullCapacityExponentially() {
        TierProfile tier = new TierProfile(1000, new TierProfile.WarmUp(0.2, 100), 1.0);
        assertThat(tier.capacityAt(0)).isCloseTo(200, within(1e-9));
        // The missing 800/s shrinks by e every 100 s: 63% of it back after 100 s, 95% after 300 s.
        assertThat(tier.capacityAt(100)).isCloseTo(1000 - 800 / Math.E, within(1e-9));
        assertThat(tier.capacityAt(300)).isCloseTo(1000 - 800 * Math.exp(-3), within(1e-9));
        double previous = 0;
        for (int t = 0; t <= 3000; t += 10) {
            double c = tier.capacityAt(t);
            assertThat(c).isGreaterThan(previous).isLessThan(1000);
            previous = c;
        }
        assertThat(tier.capacityAt(tier.shape().settledAfterSeconds())).isCloseTo(1000, within(1e-3));
    }

    @Test
    void theTierHoldsItsRealCapacityNotThePlansFigure() {
        // The plan says 1,000/s; the tier holds 600/s. Strategies configured from the plan's figure
        // overload it; the oracle, which knows the real capacity, does not.
        TierProfile misstated = new TierProfile(1000, new TierProfile.LinearRamp(1.0, 0), 0.6);
        List<ClientProfile> clients = SimulatorTest.clients(0.5, RetryPolicy.backoff(4, 0.5, 8), true);
        SimulationResult oracle = Simulator.run(misstated, clients, Strategies.oracle(clients), SETTINGS);
        SimulationResult bucket = Simulator.run(misstated, clients, Strategies.staticBucket(1000), SETTINGS);
        assertThat(oracle.timeline().capacity()).allSatisfy(c -> assertThat(c).isCloseTo(600, within(1e-6)));
        assertThat(oracle.overloadSeconds()).isZero();
        assertThat(oracle.restored()).isTrue();
        assertThat(bucket.overloadSeconds()).isPositive();
        // T* counts the real capacity: 500/s of demand leaves 100/s spare, not 500/s.
        assertThat(oracle.fluidBoundSeconds())
                .isGreaterThan(Simulator.fluidBoundSeconds(WHOLE, clients, 0.1, 3000) * 4);
    }

    @Test
    void honouredRefusalsDoNotCountTowardMaxAttempts() {
        // One attempt each: a refusal that used up an attempt would fail every request refused.
        RetryPolicy once = RetryPolicy.immediate(1);
        SimulationResult honoured =
                Simulator.run(WHOLE, live(100, once, true, 86_400), refuseUntil(20), SETTINGS.withHorizon(60));
        SimulationResult ignored =
                Simulator.run(WHOLE, live(100, once, false, 86_400), refuseUntil(20), SETTINGS.withHorizon(60));
        // Twenty seconds of demand were refused, many times over; the patient callers lose none of it.
        assertThat(honoured.shed()).isGreaterThan(100 * 20);
        assertThat(honoured.failed()).isLessThan(0.01 * 100 * 20);
        assertThat(honoured.pending()).isLessThan(100 * Simulator.DRAINED_SECONDS);
        // A client that does not honour Retry-After treats a refusal as a failed attempt.
        assertThat(ignored.failed()).isCloseTo(100 * 20, within(100 * 20 * 0.05));
    }

    @Test
    void impatientCallersGiveUpWhileWaitingOutRefusals() {
        double patience = 10;
        SimulationResult r = Simulator.run(
                WHOLE,
                live(100, RetryPolicy.immediate(4), true, patience),
                refuseUntil(Double.POSITIVE_INFINITY),
                SETTINGS.withHorizon(120));
        // In steady state about patience × demand callers are waiting; the rest of them gave up.
        assertThat(r.pending()).isCloseTo(100 * patience, within(100 * patience * 0.15));
        assertThat(r.failed()).isCloseTo(r.originals() - r.pending(), within(1e-6 * r.originals()));
        assertThat(r.good()).isZero();
    }

    @Test
    void backoffWithoutJitterSendsRetriesInLockStep() {
        // One second of demand (100 requests) is refused by a client that does not honour
        // Retry-After; its retry waits the base delay, 4 s. Without jitter all of it comes back in
        // one second, doubling the load then; with full jitter it is spread over four.
        double lockStep = peakOffered(RetryPolicy.backoff(4, 4, 16, false));
        double jittered = peakOffered(RetryPolicy.backoff(4, 4, 16, true));
        assertThat(lockStep).isCloseTo(200, within(1.0));
        assertThat(jittered).isBetween(100.0, 130.0);
    }

    private static double peakOffered(RetryPolicy retry) {
        AdmissionStrategy refuseOneSecond = new AdmissionStrategy() {
            @Override
            public void admit(double[] offered, double[] admitted, SimulationView view) {
                admitted[0] = view.t() >= 5 - 1e-9 && view.t() < 6 - 1e-9 ? 0 : offered[0];
            }

            @Override
            public String name() {
                return "refuse-one-second";
            }
        };
        SimulationSettings steady = new SimulationSettings(0.1, 30, 1, 0, 2);
        SimulationResult r = Simulator.run(WHOLE, live(100, retry, false, 30), refuseOneSecond, steady);
        return r.timeline().offered().stream()
                .mapToDouble(Double::doubleValue)
                .max()
                .orElseThrow();
    }

    @Test
    void fluidBoundCountsEachServicesReplayLimit() {
        // 500/s spare. Without replay limits 11,000 requests take 22 s; but one backlog of 10,000
        // replays at 100/s at most: 100 s.
        double[] backlogs = {10_000, 1_000};
        assertThat(WHOLE.fluidBoundSeconds(11_000, 500, 0.01, 1000)).isCloseTo(22, within(0.02));
        assertThat(WHOLE.fluidBoundSeconds(backlogs, new double[] {100, 1e9}, 500, 0.01, 1000))
                .isCloseTo(100, within(0.02));
        // On a ramp the longest replay goes first, so the limit costs nothing where capacity is the
        // bottleneck: 20% → 100% over 100 s, 600/s of demand, as in SimulatorTest (125 s).
        TierProfile ramp = new TierProfile(1000, 0.2, 100);
        assertThat(ramp.fluidBoundSeconds(new double[] {15_000, 5_000}, new double[] {400, 400}, 600, 0.01, 1000))
                .isCloseTo(125, within(0.2));
    }

    @Test
    void demandNoiseAloneDoesNotMarkAHealthyServiceDown() {
        // Plenty of headroom and the widest demand noise: every service is up from its first
        // second on, so once b's dependency a is up nothing b sends is useless.
        SimulationSettings noisy = new SimulationSettings(0.1, 300, 1, 0.5, 2);
        List<ClientProfile> clients = SimulatorTest.clients(0.3, RetryPolicy.backoff(4, 0.5, 8), true);
        SimulationResult r = Simulator.run(WHOLE, clients, Strategies.reopenEverything(), noisy);
        assertThat(r.restoredBySeconds().values())
                .allSatisfy(at -> assertThat(at).isLessThanOrEqualTo(2));
        // b's work during the first second or two (a not yet up), no more.
        assertThat(r.useless()).isLessThan(2 * 2 * 100.0 + 2 * 200.0);
    }

    @Test
    void overloadVolumeWeighsHowFarAboveCapacity() {
        List<ClientProfile> clients = SimulatorTest.clients(0.9, RetryPolicy.immediate(4), true);
        SimulationResult slightly = Simulator.run(WHOLE, clients, admitShareOfCapacity(1.001), SETTINGS);
        SimulationResult much = Simulator.run(WHOLE, clients, admitShareOfCapacity(1.25), SETTINGS);
        // Both overload the tier in every second while the backlog lasts; by very different amounts.
        assertThat(slightly.overloadSeconds()).isPositive();
        assertThat(much.overloadSeconds()).isGreaterThanOrEqualTo(slightly.overloadSeconds());
        assertThat(slightly.overloadVolume()).isCloseTo(slightly.overloadSeconds() * 1, within(1.0));
        assertThat(much.overloadVolume()).isGreaterThan(100 * slightly.overloadVolume());
    }
}
