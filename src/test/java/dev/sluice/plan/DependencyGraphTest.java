package dev.sluice.plan;

import static dev.sluice.plan.TestPlans.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DependencyGraphTest {

    @Test
    void chainGetsOneLevelPerLink() {
        DependencyGraph graph = DependencyGraph.of(plan("p")
                .service("a")
                .service("b", "a")
                .service("c", "b")
                .build()
                .services());
        assertThat(graph.levels()).containsExactly(Map.entry("a", 0), Map.entry("b", 1), Map.entry("c", 2));
        assertThat(graph.cycles()).isEmpty();
    }

    @Test
    void diamondJoinWaitsForItsDeepestBranch() {
        DependencyGraph graph = DependencyGraph.of(plan("p")
                .service("top")
                .service("left", "top")
                .service("mid", "top")
                .service("right", "mid")
                .service("bottom", "left", "right")
                .build()
                .services());
        assertThat(graph.levels())
                .containsEntry("bottom", 3)
                .containsEntry("left", 1)
                .containsEntry("right", 2);
        assertThat(graph.dependentsOf("top")).containsExactly("left", "mid");
    }

    @Test
    void severalRootsAllStartAtLevelZero() {
        DependencyGraph graph = DependencyGraph.of(plan("p")
                .service("x")
                .service("y")
                .service("z", "x", "y")
                .build()
                .services());
        assertThat(graph.levels()).containsEntry("x", 0).containsEntry("y", 0).containsEntry("z", 1);
    }

    @Test
    void selfEdgeIsACycleOfLengthOne() {
        DependencyGraph graph = new DependencyGraph(Map.of("warp", List.of("warp")));
        assertThat(graph.cycles()).containsExactly(List.of("warp", "warp"));
    }

    @Test
    void cyclesOfEveryLengthAreNamedInDependencyOrder() {
        for (int length = 2; length <= 6; length++) {
            TestPlans.Builder b = plan("p");
            for (int i = 0; i < length; i++) {
                b.service("s" + i, "s" + ((i + 1) % length));
            }
            List<List<String>> cycles = DependencyGraph.of(b.build().services()).cycles();
            assertThat(cycles).hasSize(1);
            List<String> cycle = cycles.get(0);
            assertThat(cycle).hasSize(length + 1);
            assertThat(cycle.get(0)).isEqualTo(cycle.get(length));
            for (int i = 0; i < length; i++) { // each name depends on the next one in the path
                int from = Integer.parseInt(cycle.get(i).substring(1));
                int to = Integer.parseInt(cycle.get(i + 1).substring(1));
                assertThat(to).isEqualTo((from + 1) % length);
            }
        }
    }

    @Test
    void levelsRefuseACyclicGraph() {
        DependencyGraph graph = DependencyGraph.of(
                plan("p").service("a", "b").service("b", "a").build().services());
        assertThatThrownBy(graph::levels)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cycle");
    }

    @Test
    void edgesToUnknownServicesAreIgnored() {
        DependencyGraph graph =
                DependencyGraph.of(plan("p").service("a", "ghost").build().services());
        assertThat(graph.dependenciesOf("a")).isEmpty();
        assertThat(graph.levels()).containsEntry("a", 0);
    }
}
