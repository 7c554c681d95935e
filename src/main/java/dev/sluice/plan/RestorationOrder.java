package dev.sluice.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The order a plan restores its services in: waves of services at the same dependency depth,
 * highest priority first inside a wave, then by name. A service of wave n waits on services of
 * earlier waves only.
 */
public record RestorationOrder(List<Wave> waves) {

    public record Wave(int index, List<Entry> services) {}

    /**
     * @param dependsOn what this service waits on
     * @param dependents what waits on this service
     */
    public record Entry(
            String name, Priority priority, double demandPerSecond, List<String> dependsOn, List<String> dependents) {}

    /** The order of a valid plan (see {@link PlanValidator}); rejects a plan whose graph has a cycle. */
    public static RestorationOrder of(RestorePlan plan) {
        DependencyGraph graph = DependencyGraph.of(plan.services());
        Map<String, Integer> levels = graph.levels();
        int depth = levels.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        List<List<Entry>> byLevel = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            byLevel.add(new ArrayList<>());
        }
        for (Service s : plan.services()) {
            byLevel.get(levels.get(s.name()))
                    .add(new Entry(
                            s.name(),
                            s.priority(),
                            s.demandPerSecond(),
                            graph.dependenciesOf(s.name()),
                            graph.dependentsOf(s.name())));
        }
        Comparator<Entry> order = Comparator.comparing(Entry::priority).thenComparing(Entry::name);
        List<Wave> waves = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            List<Entry> wave = new ArrayList<>(byLevel.get(i));
            wave.sort(order);
            waves.add(new Wave(i, List.copyOf(wave)));
        }
        return new RestorationOrder(List.copyOf(waves));
    }

    /** Every service, wave by wave: an order in which each service comes after all it depends on. */
    public List<String> sequence() {
        return waves.stream()
                .flatMap(w -> w.services().stream())
                .map(Entry::name)
                .toList();
    }
}
