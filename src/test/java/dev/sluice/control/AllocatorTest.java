package dev.sluice.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.control.Allocator.Claim;
import dev.sluice.plan.Priority;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AllocatorTest {

    @Test
    void higherPriorityClassIsServedInFullBeforeLowerOnesGetAnything() {
        Map<String, Double> a = Allocator.allocate(
                1000,
                List.of(
                        claim("low", Priority.LOW, 500),
                        claim("crit", Priority.CRITICAL, 600),
                        claim("high", Priority.HIGH, 300)));
        assertThat(a).containsEntry("crit", 600.0).containsEntry("high", 300.0).containsEntry("low", 100.0);
    }

    @Test
    void aClassThatDoesNotFitSharesMaxMinFairly() {
        Map<String, Double> a = Allocator.allocate(
                900,
                List.of(
                        claim("small", Priority.NORMAL, 100),
                        claim("big", Priority.NORMAL, 1000),
                        claim("mid", Priority.NORMAL, 600)));
        // 900 / 3 = 300 each, but small wants 100: the 200 it leaves goes to the others (400 each).
        assertThat(a.get("small")).isCloseTo(100, within(1e-9));
        assertThat(a.get("mid")).isCloseTo(400, within(1e-9));
        assertThat(a.get("big")).isCloseTo(400, within(1e-9));
    }

    @Test
    void blockedServicesGetNothingEvenWithBudgetLeft() {
        Map<String, Double> a = Allocator.allocate(
                1000,
                List.of(new Claim("blocked", Priority.CRITICAL, 1, 100, null, false), claim("ok", Priority.LOW, 100)));
        assertThat(a).containsEntry("blocked", 0.0).containsEntry("ok", 100.0);
    }

    @Test
    void pinsAreServedFirstAndCountAgainstTheBudget() {
        Map<String, Double> a = Allocator.allocate(
                500,
                List.of(new Claim("pinned", Priority.LOW, 0, 100, 300.0, true), claim("crit", Priority.CRITICAL, 400)));
        assertThat(a).containsEntry("pinned", 300.0).containsEntry("crit", 200.0);
        Map<String, Double> over =
                Allocator.allocate(200, List.of(new Claim("pinned", Priority.LOW, 0, 100, 300.0, true)));
        assertThat(over).containsEntry("pinned", 200.0);
    }

    @Test
    void leftoverBudgetGoesToServicesWithABacklogByPriorityThenFairly() {
        Map<String, Double> a = Allocator.allocate(
                1000,
                List.of(
                        new Claim("crit", Priority.CRITICAL, 0, 100, null, true, 200),
                        new Claim("low-1", Priority.LOW, 0, 100, null, true, 500),
                        new Claim("low-2", Priority.LOW, 0, 100, null, true, 500),
                        new Claim("blocked", Priority.CRITICAL, 1, 100, null, false, 900)));
        // 700 left after demands: crit takes its 200 extra first, then 500 shared by the low ones.
        assertThat(a)
                .containsEntry("crit", 300.0)
                .containsEntry("low-1", 350.0)
                .containsEntry("low-2", 350.0)
                .containsEntry("blocked", 0.0);
    }

    @Test
    void noExtraWhileDemandsAreNotMet() {
        Map<String, Double> a = Allocator.allocate(
                150, List.of(new Claim("a", Priority.HIGH, 0, 100, null, true, 1000), claim("b", Priority.LOW, 100)));
        assertThat(a).containsEntry("a", 100.0).containsEntry("b", 50.0);
    }

    @Test
    void allocationsNeverExceedTheBudgetOrADemand() {
        Priority[] priorities = Priority.values();
        for (long seed = 0; seed < 2000; seed++) {
            Random r = new Random(seed);
            List<Claim> claims = new ArrayList<>();
            int n = 1 + r.nextInt(30);
            for (int i = 0; i < n; i++) {
                Double pin = r.nextInt(10) == 0 ? r.nextDouble() * 500 : null;
                claims.add(new Claim(
                        "s" + i,
                        priorities[r.nextInt(4)],
                        r.nextInt(4),
                        r.nextDouble() * 1000,
                        pin,
                        r.nextInt(5) != 0,
                        r.nextInt(3) == 0 ? r.nextDouble() * 500 : 0));
            }
            double budget = r.nextDouble() * 10_000;
            Map<String, Double> a = Allocator.allocate(budget, claims);
            assertThat(a.values().stream().mapToDouble(Double::doubleValue).sum())
                    .as("seed %d", seed)
                    .isLessThanOrEqualTo(budget + 1e-6);
            for (Claim c : claims) {
                double given = a.get(c.name());
                assertThat(given).as("seed %d %s", seed, c.name()).isGreaterThanOrEqualTo(0);
                if (c.pinnedPerSecond() == null) {
                    assertThat(given).isLessThanOrEqualTo(c.wantPerSecond() + c.extraWantPerSecond() + 1e-9);
                    if (!c.eligible()) {
                        assertThat(given).isZero();
                    }
                }
            }
        }
    }

    private static Claim claim(String name, Priority p, double want) {
        return new Claim(name, p, 0, want, null, true);
    }
}
