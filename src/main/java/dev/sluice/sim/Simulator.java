package dev.sluice.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A recovering tier with retrying clients, in fixed time steps. Pure and deterministic.
 *
 * <p>The model: requests the strategy admits join one FIFO queue in front of the tier, which serves
 * {@code capacity × dt} of them per step. A client waits {@code timeoutSeconds}; a request still
 * queued after that is abandoned — the client retries it at once (while attempts remain) and the
 * abandoned copy stays queued, to be served later as wasted work. A request served in time counts
 * as goodput only if every service it depends on is up; otherwise it fails and is retried.
 * Requests the strategy sheds (429) are retried at once too. So offered load above capacity grows
 * the queue, latency passes the timeout, work is wasted and retries keep the load high: congestion
 * collapse, which can outlive its cause.
 */
public final class Simulator {
    private static final double EPS = 1e-9;
    /** A service is up when its goodput over the last second reached this share of its demand. */
    static final double UP_SHARE = 0.95;

    private Simulator() {
    }

    private static final class Cohort {
        final String service;
        double count;
        final double deadline;
        final int attempt;
        boolean abandoned;

        Cohort(String service, double count, double deadline, int attempt) {
            this.service = service;
            this.count = count;
            this.deadline = deadline;
            this.attempt = attempt;
        }
    }

    private static final class Client {
        final ClientProfile profile;
        double backlogLeft;
        final TreeMap<Integer, Double> retriesDue = new TreeMap<>(); // attempt number -> requests
        final Deque<Cohort> waiting = new ArrayDeque<>(); // its live cohorts, in deadline order
        final double[] goodWindow;
        double goodInWindow;
        double originals;
        double good;
        double failed;
        double attempts;
        double firstAttempts;
        double restoredAt = Double.NaN;

        Client(ClientProfile profile, int windowSteps) {
            this.profile = profile;
            this.backlogLeft = profile.backlog();
            this.originals = profile.backlog();
            this.goodWindow = new double[windowSteps];
        }

        void retryOrFail(int attempt, double count) {
            if (attempt < profile.maxAttempts()) {
                retriesDue.merge(attempt + 1, count, Double::sum);
            } else {
                failed += count;
            }
        }

        double pending() {
            double queued = 0;
            for (Cohort c : waiting) {
                queued += c.abandoned ? 0 : c.count;
            }
            return backlogLeft + queued + retriesDue.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /** Runs a strategy from the tier's return (t = 0) to {@code horizonSeconds}. */
    public static SimulationResult run(TierProfile tier, List<ClientProfile> profiles, AdmissionStrategy strategy,
                                       double dtSeconds, double horizonSeconds) {
        int windowSteps = (int) Math.round(1.0 / dtSeconds);
        Map<String, Client> clients = new LinkedHashMap<>();
        profiles.forEach(p -> clients.put(p.name(), new Client(p, windowSteps)));
        Deque<Cohort> queue = new ArrayDeque<>();
        double queued = 0;
        Set<String> up = new HashSet<>();
        double wasted = 0;
        double useless = 0;
        double shed = 0;
        double overloadSeconds = 0;
        double peakOverload = 0;
        double admittedThisSecond = 0;
        double capacityThisSecond = 0;
        double restoredAt = Double.NaN;
        double tailGood = 0;
        double tailSeconds = Math.min(10, horizonSeconds / 4);
        int steps = (int) Math.round(horizonSeconds / dtSeconds);

        for (int step = 0; step < steps; step++) {
            double t = step * dtSeconds;
            double capacity = tier.capacityAt(t);

            // Clients give up on requests that waited past their timeout, and retry them.
            for (Client c : clients.values()) {
                while (!c.waiting.isEmpty() && (c.waiting.peekFirst().count <= EPS || c.waiting.peekFirst().deadline <= t)) {
                    Cohort expired = c.waiting.pollFirst();
                    if (expired.count > EPS) {
                        expired.abandoned = true;
                        c.retryOrFail(expired.attempt, expired.count);
                    }
                }
            }

            // What each client sends this step: new demand, some backlog, and due retries.
            Map<String, Double> offered = new LinkedHashMap<>();
            Map<String, TreeMap<Integer, Double>> byAttempt = new HashMap<>();
            for (Client c : clients.values()) {
                double fresh = c.profile.demandPerSecond() * dtSeconds;
                c.originals += fresh;
                double fromBacklog = Math.min(c.backlogLeft, c.profile.backlogPerSecond() * dtSeconds);
                c.backlogLeft -= fromBacklog;
                TreeMap<Integer, Double> attempts = new TreeMap<>(c.retriesDue);
                attempts.merge(1, fresh + fromBacklog, Double::sum);
                c.retriesDue.clear();
                double total = attempts.values().stream().mapToDouble(Double::doubleValue).sum();
                c.attempts += total;
                c.firstAttempts += attempts.getOrDefault(1, 0.0);
                offered.put(c.profile.name(), total);
                byAttempt.put(c.profile.name(), attempts);
            }

            Map<String, Double> admitted = strategy.admit(offered,
                    new SimulationView(t, dtSeconds, capacity, queued, Set.copyOf(up)));
            for (Client c : clients.values()) {
                String name = c.profile.name();
                double total = offered.get(name);
                double let = Math.max(0, Math.min(total, admitted.getOrDefault(name, 0.0)));
                double share = total <= EPS ? 0 : let / total;
                for (Map.Entry<Integer, Double> a : byAttempt.get(name).entrySet()) {
                    double in = a.getValue() * share;
                    double out = a.getValue() - in;
                    if (in > EPS) {
                        Cohort cohort = new Cohort(name, in, t + c.profile.timeoutSeconds(), a.getKey());
                        queue.addLast(cohort);
                        c.waiting.addLast(cohort);
                        queued += in;
                    }
                    if (out > EPS) {
                        shed += out;
                        if (c.profile.respectsShedding()) {
                            c.retriesDue.merge(a.getKey(), out, Double::sum); // again next step, same attempt
                        } else {
                            c.retryOrFail(a.getKey(), out);
                        }
                    }
                }
                admittedThisSecond += let;
            }

            // The tier serves the head of the queue.
            double budget = capacity * dtSeconds;
            Map<String, Double> goodNow = new HashMap<>();
            while (budget > EPS && !queue.isEmpty()) {
                Cohort head = queue.peekFirst();
                double served = Math.min(budget, head.count);
                budget -= served;
                head.count -= served;
                queued -= served;
                if (head.count <= EPS) {
                    queue.pollFirst();
                }
                Client c = clients.get(head.service);
                if (head.abandoned || head.deadline < t) {
                    wasted += served;
                } else if (up.containsAll(c.profile.dependsOn())) {
                    c.good += served;
                    goodNow.merge(head.service, served, Double::sum);
                } else {
                    useless += served;
                    c.retryOrFail(head.attempt, served);
                }
            }

            // Which services are up: goodput over the last second against demand.
            Set<String> nowUp = new HashSet<>();
            for (Client c : clients.values()) {
                int slot = step % windowSteps;
                c.goodInWindow += goodNow.getOrDefault(c.profile.name(), 0.0) - c.goodWindow[slot];
                c.goodWindow[slot] = goodNow.getOrDefault(c.profile.name(), 0.0);
                if (step + 1 >= windowSteps && c.goodInWindow >= UP_SHARE * c.profile.demandPerSecond()) {
                    nowUp.add(c.profile.name());
                    if (Double.isNaN(c.restoredAt)) {
                        c.restoredAt = t + dtSeconds;
                    }
                }
            }
            up = nowUp;
            // Drained: nothing left of the backlog, queued or awaiting retry beyond a step or two of demand.
            boolean allDrained = clients.values().stream()
                    .allMatch(c -> c.pending() <= 2 * c.profile.demandPerSecond() * dtSeconds + EPS);
            if (Double.isNaN(restoredAt) && allDrained && up.size() == clients.size()) {
                restoredAt = t + dtSeconds;
            }

            capacityThisSecond += capacity * dtSeconds;
            if ((step + 1) % windowSteps == 0) {
                if (admittedThisSecond > capacityThisSecond + EPS) {
                    overloadSeconds += 1;
                }
                if (capacityThisSecond > EPS) {
                    peakOverload = Math.max(peakOverload, admittedThisSecond / capacityThisSecond);
                }
                admittedThisSecond = 0;
                capacityThisSecond = 0;
            }
            if (t >= horizonSeconds - tailSeconds) {
                tailGood += goodNow.values().stream().mapToDouble(Double::doubleValue).sum();
            }
        }

        double demand = profiles.stream().mapToDouble(ClientProfile::demandPerSecond).sum();
        double backlog = profiles.stream().mapToDouble(ClientProfile::backlog).sum();
        double endCapacity = tier.capacityAt(horizonSeconds);
        boolean metastable = tailGood / tailSeconds < 0.5 * Math.min(endCapacity, demand);
        double originals = 0;
        double good = 0;
        double failed = 0;
        double pending = 0;
        double attempts = 0;
        double firstAttempts = 0;
        Map<String, Double> restoredBy = new LinkedHashMap<>();
        for (Client c : clients.values()) {
            originals += c.originals;
            good += c.good;
            failed += c.failed;
            pending += c.pending();
            attempts += c.attempts;
            firstAttempts += c.firstAttempts;
            restoredBy.put(c.profile.name(), c.restoredAt);
        }
        return new SimulationResult(strategy.name(), restoredAt,
                tier.fluidBoundSeconds(backlog, demand, dtSeconds, horizonSeconds * 10), originals, good, failed,
                pending, wasted, useless, shed, attempts / Math.max(EPS, firstAttempts), overloadSeconds, peakOverload,
                metastable, restoredBy);
    }
}
