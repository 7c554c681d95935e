package dev.sluice.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Over random graphs: order always respects dependencies, and any cycle is always rejected. */
class RestorationOrderPropertyTest {

    @Property(tries = 300)
    void everyServiceComesAfterAllItDependsOn(@ForAll @IntRange(min = 1, max = 60) int size,
                                              @ForAll long seed) {
        RestorePlan plan = randomDag(size, new Random(seed));
        assertThat(PlanValidator.validate(plan)).isEmpty();
        List<String> sequence = RestorationOrder.of(plan).sequence();
        assertThat(sequence).hasSize(size);
        for (Service s : plan.services()) {
            for (String dep : s.dependsOn()) {
                assertThat(sequence.indexOf(dep)).as("%s before %s", dep, s.name())
                        .isLessThan(sequence.indexOf(s.name()));
            }
        }
    }

    @Property(tries = 300)
    void aGraphWithACycleIsAlwaysRejectedAndTheCycleNamed(@ForAll @IntRange(min = 2, max = 60) int size,
                                                          @ForAll long seed) {
        Random random = new Random(seed);
        RestorePlan dag = randomDag(size, random);
        // Close a cycle: make an early service depend on a later one that (transitively) reaches it,
        // the simplest such pair being a chain we add explicitly.
        int from = random.nextInt(size - 1);
        int to = from + 1 + random.nextInt(size - 1 - from);
        List<Service> services = new ArrayList<>(dag.services());
        Service later = services.get(to);
        List<String> laterDeps = new ArrayList<>(later.dependsOn());
        String early = services.get(from).name();
        if (!laterDeps.contains(early)) {
            laterDeps.add(early);
        }
        services.set(to, new Service(later.name(), later.demandPerSecond(), later.priority(), laterDeps, List.of()));
        Service first = services.get(from);
        List<String> firstDeps = new ArrayList<>(first.dependsOn());
        firstDeps.add(later.name());
        services.set(from, new Service(first.name(), first.demandPerSecond(), first.priority(), firstDeps, List.of()));
        RestorePlan cyclic = new RestorePlan(dag.name(), null, dag.tier(), services, dag.stages(), dag.gates(),
                dag.policy());

        List<Violation> violations = PlanValidator.validate(cyclic);
        assertThat(violations).anySatisfy(v -> {
            assertThat(v.rule()).isEqualTo("cycle");
            assertThat(v.message()).contains(early + " -> ").contains(later.name());
        });
    }

    /** Services s0..s(n-1), each depending only on lower-numbered ones: acyclic by construction. */
    private static RestorePlan randomDag(int size, Random random) {
        TestPlans.Builder b = TestPlans.plan("random").capacity(size * 10.0);
        Priority[] priorities = Priority.values();
        for (int i = 0; i < size; i++) {
            List<String> deps = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                if (random.nextInt(Math.max(1, i)) < 2) {
                    deps.add("s" + j);
                }
            }
            b.service("s" + i, 1 + random.nextInt(9), priorities[random.nextInt(priorities.length)],
                    deps.toArray(String[]::new));
        }
        return b.build();
    }
}
