package dev.sluice.control;

import dev.sluice.plan.Priority;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Divides a stage budget among services by priority water-filling.
 *
 * <ul>
 *   <li>Pinned services (operator overrides) are served first, each up to its pin.</li>
 *   <li>Then eligible services by priority class, highest first. A class whose total demand fits
 *       gets it all; a class that does not fit shares what is left max-min fairly: every service
 *       gets the same amount, except that none gets more than it asks for, and what those leave
 *       over is shared by the rest.</li>
 *   <li>Ineligible (blocked) services get nothing. The allocations never add up to more than the
 *       budget.</li>
 *   <li>Work-conserving: budget still left once every eligible service has its demand goes to the
 *       services that want more than their demand (a backlog to drain), by the same rules —
 *       priority class first, max-min fair inside it.</li>
 * </ul>
 * Pure and deterministic: ties are broken by graph depth, then name.
 */
public final class Allocator {
    private static final double EPSILON = 1e-9;

    /**
     * @param wantPerSecond how much the service asks for (its demand)
     * @param pinnedPerSecond an operator's pinned rate, or null
     * @param eligible false for a blocked service
     */
    public record Claim(
            String name,
            Priority priority,
            int depth,
            double wantPerSecond,
            Double pinnedPerSecond,
            boolean eligible,
            double extraWantPerSecond) {

        /** A claim for exactly its demand. */
        public Claim(
                String name,
                Priority priority,
                int depth,
                double wantPerSecond,
                Double pinnedPerSecond,
                boolean eligible) {
            this(name, priority, depth, wantPerSecond, pinnedPerSecond, eligible, 0);
        }
    }

    private Allocator() {}

    /** Allocation per service name, for every claim (0 for those that get nothing). */
    public static Map<String, Double> allocate(double budgetPerSecond, List<Claim> claims) {
        Map<String, Double> result = new LinkedHashMap<>();
        claims.forEach(c -> result.put(c.name(), 0.0));
        double remaining = Math.max(0, budgetPerSecond);

        List<Claim> ordered = new ArrayList<>(claims);
        ordered.sort(Comparator.comparing(Claim::priority)
                .thenComparingInt(Claim::depth)
                .thenComparing(Claim::name));
        for (Claim c : ordered) {
            if (c.pinnedPerSecond() != null) {
                double given = Math.min(Math.max(0, c.pinnedPerSecond()), remaining);
                result.put(c.name(), given);
                remaining -= given;
            }
        }
        for (Priority priority : Priority.values()) {
            List<Claim> tier = ordered.stream()
                    .filter(c -> c.priority() == priority && c.eligible() && c.pinnedPerSecond() == null)
                    .toList();
            if (tier.isEmpty() || remaining <= EPSILON) {
                continue;
            }
            remaining -= shareMaxMin(remaining, tier, result);
        }
        for (Priority priority : Priority.values()) {
            if (remaining <= EPSILON) {
                break;
            }
            Map<String, Double> extras = new LinkedHashMap<>();
            ordered.stream()
                    .filter(c -> c.priority() == priority
                            && c.eligible()
                            && c.pinnedPerSecond() == null
                            && c.extraWantPerSecond() > 0)
                    .forEach(c -> extras.put(c.name(), c.extraWantPerSecond()));
            for (Map.Entry<String, Double> extra : maxMinFair(remaining, extras).entrySet()) {
                result.merge(extra.getKey(), extra.getValue(), Double::sum);
                remaining -= extra.getValue();
            }
        }
        return result;
    }

    /** Max-min fair division of {@code budget} among {@code claims}; returns what was handed out. */
    private static double shareMaxMin(double budget, List<Claim> claims, Map<String, Double> result) {
        Map<String, Double> wants = new LinkedHashMap<>();
        claims.forEach(c -> wants.put(c.name(), c.wantPerSecond()));
        Map<String, Double> shares = maxMinFair(budget, wants);
        result.putAll(shares);
        return shares.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /**
     * Max-min fair division: everyone gets the same amount, except that nobody gets more than it
     * wants, and what those leave over is shared by the rest. Never hands out more than
     * {@code budget}. Deterministic (ties by name).
     */
    public static Map<String, Double> maxMinFair(double budget, Map<String, Double> wants) {
        double[] amounts =
                wants.values().stream().mapToDouble(w -> Math.max(0, w)).toArray();
        double level = waterLevel(amounts, budget);
        Map<String, Double> result = new LinkedHashMap<>();
        wants.forEach((name, want) -> result.put(name, Math.min(Math.max(0, want), level)));
        return result;
    }

    /**
     * The level L of a max-min fair division: everyone gets min(want, L), and those shares add up to
     * {@code budget} (L is infinite when every want fits).
     */
    public static double waterLevel(double[] wants, double budget) {
        double[] sorted = wants.clone();
        java.util.Arrays.sort(sorted);
        double left = Math.max(0, budget);
        for (int i = 0; i < sorted.length; i++) {
            double even = left / (sorted.length - i);
            if (sorted[i] >= even) {
                return even;
            }
            left -= sorted[i];
        }
        return Double.POSITIVE_INFINITY;
    }
}
