package dev.sluice.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The "depends on" graph of a plan's services. Immutable; node order is declaration order, which
 * makes every result (cycles, levels) deterministic.
 */
public final class DependencyGraph {
    private final Map<String, List<String>> dependsOn;

    /**
     * @param dependsOn for each service, in declaration order, the services it depends on. Edges to
     *     names that are not keys are ignored (the validator reports them as unknown services).
     */
    public DependencyGraph(Map<String, List<String>> dependsOn) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        dependsOn.forEach((name, deps) -> copy.put(
                name, deps.stream().filter(dependsOn::containsKey).distinct().toList()));
        this.dependsOn = Collections.unmodifiableMap(copy);
    }

    public static DependencyGraph of(List<Service> services) {
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (Service s : services) {
            edges.putIfAbsent(s.name(), s.dependsOn() == null ? List.of() : s.dependsOn());
        }
        return new DependencyGraph(edges);
    }

    public List<String> dependenciesOf(String name) {
        return dependsOn.getOrDefault(name, List.of());
    }

    /** Services that depend directly on {@code name}, in declaration order. */
    public List<String> dependentsOf(String name) {
        List<String> result = new ArrayList<>();
        dependsOn.forEach((service, deps) -> {
            if (deps.contains(name)) {
                result.add(service);
            }
        });
        return result;
    }

    /**
     * Cycles in the graph, each as a path that starts and ends at the same service, e.g.
     * {@code [access, gateway, warp, access]}; a self-dependency is {@code [warp, warp]}. Every
     * strongly connected part that holds a cycle yields at least one; the same cycle is never
     * reported twice. Empty when the graph is a DAG.
     */
    public List<List<String>> cycles() {
        Map<String, Integer> color = new HashMap<>(); // absent: unvisited, 1: on the path, 2: done
        List<List<String>> cycles = new ArrayList<>();
        Set<Set<String>> seen = new HashSet<>();
        for (String start : dependsOn.keySet()) {
            if (!color.containsKey(start)) {
                visit(start, color, new ArrayList<>(), cycles, seen);
            }
        }
        return cycles;
    }

    private void visit(
            String node,
            Map<String, Integer> color,
            List<String> path,
            List<List<String>> cycles,
            Set<Set<String>> seen) {
        color.put(node, 1);
        path.add(node);
        for (String dep : dependsOn.get(node)) {
            Integer c = color.get(dep);
            if (c == null) {
                visit(dep, color, path, cycles, seen);
            } else if (c == 1) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(dep), path.size()));
                if (seen.add(new HashSet<>(cycle))) {
                    cycle.add(dep);
                    cycles.add(List.copyOf(cycle));
                }
            }
        }
        path.remove(path.size() - 1);
        color.put(node, 2);
    }

    /**
     * The depth of each service: 0 for a service with no dependencies, otherwise one more than its
     * deepest dependency. Only defined for an acyclic graph.
     *
     * @throws IllegalStateException if the graph has a cycle
     */
    public Map<String, Integer> levels() {
        Map<String, Integer> levels = new LinkedHashMap<>();
        Map<String, Integer> remaining = new HashMap<>();
        List<String> ready = new ArrayList<>();
        dependsOn.forEach((name, deps) -> {
            remaining.put(name, deps.size());
            if (deps.isEmpty()) {
                ready.add(name);
                levels.put(name, 0);
            }
        });
        Map<String, List<String>> dependents = new HashMap<>();
        dependsOn.forEach((name, deps) -> deps.forEach(
                d -> dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(name)));
        for (int i = 0; i < ready.size(); i++) {
            String done = ready.get(i);
            for (String next : dependents.getOrDefault(done, List.of())) {
                levels.merge(next, levels.get(done) + 1, Math::max);
                if (remaining.merge(next, -1, Integer::sum) == 0) {
                    ready.add(next);
                }
            }
        }
        if (ready.size() != dependsOn.size()) {
            throw new IllegalStateException("dependency graph has a cycle: " + cycles());
        }
        Map<String, Integer> ordered = new LinkedHashMap<>();
        dependsOn.keySet().forEach(name -> ordered.put(name, levels.get(name)));
        return ordered;
    }
}
