package dev.sluice.sim;

import dev.sluice.plan.DependencyGraph;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The reference strategies Sluice is compared with. */
public final class Strategies {
    private Strategies() {
    }

    /** Reopen everything at once: every request offered goes to the tier. */
    public static AdmissionStrategy reopenEverything() {
        return new AdmissionStrategy() {
            @Override
            public Map<String, Double> admit(Map<String, Double> offered, SimulationView view) {
                return offered;
            }

            @Override
            public String name() {
                return "reopen-everything";
            }
        };
    }

    /**
     * The best achievable: admits exactly what the tier can serve this step (nothing queues past
     * one step, so nothing is wasted), and only for services whose dependencies are up, deepest
     * dependencies first.
     */
    public static AdmissionStrategy oracle(List<ClientProfile> clients) {
        Map<String, List<String>> edges = new LinkedHashMap<>();
        clients.forEach(c -> edges.put(c.name(), c.dependsOn()));
        Map<String, Integer> depth = new DependencyGraph(edges).levels();
        Map<String, List<String>> dependsOn = new HashMap<>(edges);
        List<String> order = new ArrayList<>(edges.keySet());
        order.sort(Comparator.comparing((String s) -> depth.get(s)).thenComparing(s -> s));
        return new AdmissionStrategy() {
            @Override
            public Map<String, Double> admit(Map<String, Double> offered, SimulationView view) {
                double budget = Math.max(0, view.capacityPerSecond() * view.dtSeconds() - view.queued());
                Map<String, Double> admitted = new LinkedHashMap<>();
                for (String s : order) {
                    boolean ready = view.up().containsAll(dependsOn.get(s));
                    double give = ready ? Math.min(budget, offered.getOrDefault(s, 0.0)) : 0;
                    admitted.put(s, give);
                    budget -= give;
                }
                return admitted;
            }

            @Override
            public String name() {
                return "oracle";
            }
        };
    }
}
