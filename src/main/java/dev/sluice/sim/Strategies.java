package dev.sluice.sim;

import dev.sluice.plan.DependencyGraph;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The strategies Sluice is compared with, from the naive to the best achievable. */
public final class Strategies {
    private Strategies() {}

    /** Reopen everything at once: every request offered goes to the tier. */
    public static AdmissionStrategy reopenEverything() {
        return named(
                "reopen-everything",
                (offered, admitted, view) -> System.arraycopy(offered, 0, admitted, 0, offered.length));
    }

    /**
     * One token bucket in front of the tier, refilled at its healthy capacity with one second of
     * burst: right once the tier is fully back, too much while it is still recovering. Shared by the
     * services in proportion to what they offer.
     */
    public static AdmissionStrategy staticBucket(double healthyPerSecond) {
        double[] tokens = {healthyPerSecond};
        return named("static-bucket", (offered, admitted, view) -> {
            tokens[0] = Math.min(healthyPerSecond, tokens[0] + healthyPerSecond * view.dtSeconds());
            tokens[0] -= proportional(offered, admitted, tokens[0]);
        });
    }

    /**
     * A load balancer's linear slow start: the admitted rate climbs from zero to the healthy
     * capacity over {@code rampSeconds}, whatever the tier's health says.
     */
    public static AdmissionStrategy linearRamp(double healthyPerSecond, double rampSeconds) {
        return named(
                String.format(Locale.ROOT, "linear-ramp-%.0fs", rampSeconds),
                (offered, admitted, view) -> proportional(
                        offered, admitted, healthyPerSecond * Math.min(1, view.t() / rampSeconds) * view.dtSeconds()));
    }

    /**
     * Envoy's slow start: a recovering endpoint's weight is scaled by
     * max(minWeight, (t / window)^(1 / aggression)), so it gets that share of the traffic meant for
     * it. With the tier as the only endpoint, that share of every service's offered requests is
     * admitted and the rest refused.
     */
    public static AdmissionStrategy envoySlowStart(double windowSeconds, double aggression, double minWeight) {
        return named(
                String.format(Locale.ROOT, "envoy-slow-start-a%s", trim(aggression)), (offered, admitted, view) -> {
                    double factor =
                            Math.max(minWeight, Math.pow(Math.min(1, view.t() / windowSeconds), 1 / aggression));
                    for (int i = 0; i < offered.length; i++) {
                        admitted[i] = offered[i] * factor;
                    }
                });
    }

    /**
     * The best achievable: admits exactly what the tier can serve this step beyond its queue (so
     * nothing waits past a deadline and nothing is wasted), only for services whose dependencies are
     * up: first every ready service's live requests (new ones and retries), deepest dependencies
     * first; then what is left to their backlogs, the one with the longest replay still ahead of it
     * (backlog ÷ replay rate) first, so that no backlog is left to drain alone at its clients'
     * replay rate while capacity goes spare. It is the only strategy that knows the capacity and the backlogs.
     */
    public static AdmissionStrategy oracle(List<ClientProfile> clients) {
        Map<String, List<String>> edges = new LinkedHashMap<>();
        clients.forEach(c -> edges.put(c.name(), c.dependsOn()));
        Map<String, Integer> depth = new DependencyGraph(edges).levels();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < clients.size(); i++) {
            index.put(clients.get(i).name(), i);
        }
        int[] order = clients.stream()
                .sorted(Comparator.comparing((ClientProfile c) -> depth.get(c.name()))
                        .thenComparing(ClientProfile::name))
                .mapToInt(c -> index.get(c.name()))
                .toArray();
        int[][] dependsOn = clients.stream()
                .map(c -> c.dependsOn().stream().mapToInt(index::get).toArray())
                .toArray(int[][]::new);
        double[] replay =
                clients.stream().mapToDouble(ClientProfile::backlogPerSecond).toArray();
        Integer[] byReplay = new Integer[clients.size()];
        double[] replaySeconds = new double[clients.size()];
        return named("oracle", (offered, admitted, view) -> {
            double budget = Math.max(0, view.capacityPerSecond() * view.dtSeconds() - view.queued());
            boolean[] ready = new boolean[offered.length];
            for (int i : order) {
                ready[i] = true;
                for (int d : dependsOn[i]) {
                    ready[i] &= view.up()[d];
                }
                if (ready[i]) {
                    double give = Math.min(budget, Math.min(offered[i], view.live()[i]));
                    admitted[i] += give;
                    budget -= give;
                }
            }
            if (budget <= 0) {
                return;
            }
            for (int k = 0; k < order.length; k++) {
                int i = order[k];
                byReplay[k] = i;
                replaySeconds[i] = replay[i] > 0 ? view.backlog()[i] / replay[i] : 0;
            }
            // Stable: equal replay times keep the dependency order.
            java.util.Arrays.sort(byReplay, Comparator.comparingDouble((Integer i) -> -replaySeconds[i]));
            for (int i : byReplay) {
                if (ready[i]) {
                    double give = Math.min(budget, offered[i] - admitted[i]);
                    admitted[i] += give;
                    budget -= give;
                }
            }
        });
    }

    /** Up to {@code limit} requests in all, shared in proportion to what each service offers; returns the total. */
    static double proportional(double[] offered, double[] admitted, double limit) {
        double total = 0;
        for (double o : offered) {
            total += o;
        }
        double share = total <= limit ? 1 : Math.max(0, limit) / total;
        for (int i = 0; i < offered.length; i++) {
            admitted[i] = offered[i] * share;
        }
        return total * share;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private interface Admit {
        void admit(double[] offered, double[] admitted, SimulationView view);
    }

    private static AdmissionStrategy named(String name, Admit admit) {
        return new AdmissionStrategy() {
            @Override
            public void admit(double[] offered, double[] admitted, SimulationView view) {
                admit.admit(offered, admitted, view);
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
