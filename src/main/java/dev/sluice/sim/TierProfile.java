package dev.sluice.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The recovering tier's capacity over time, from the moment it comes back (t = 0), in requests/s:
 * {@code healthyPerSecond × actualCapacityFactor × shape.shareAt(t)}.
 *
 * <p>{@code healthyPerSecond} is the plan's figure: what Sluice and the baselines are configured
 * with. {@code actualCapacityFactor} says how far the tier's real healthy capacity differs from it
 * (0.6: the tier really holds 60% of what the plan says). Only the tier itself, the oracle and the
 * fluid bound T* see the real capacity.
 */
public record TierProfile(double healthyPerSecond, Shape shape, double actualCapacityFactor) {

    /** A tier that comes back at {@code startShare}, rising linearly to all of it over {@code rampSeconds}. */
    public TierProfile(double healthyPerSecond, double startShare, double rampSeconds) {
        this(healthyPerSecond, new LinearRamp(startShare, rampSeconds), 1.0);
    }

    /** The share of the healthy capacity over time, before the actual-capacity factor. */
    public sealed interface Shape permits LinearRamp, WarmUp, Schedule {
        /** The share of the healthy capacity at {@code t} seconds after the tier came back. */
        double shareAt(double t);

        /** From this time on the share no longer changes (to within a millionth, for a warm-up). */
        double settledAfterSeconds();

        String describe();
    }

    /** From {@code startShare} to all of it, linearly over {@code rampSeconds} (0: a step). */
    public record LinearRamp(double startShare, double rampSeconds) implements Shape {
        @Override
        public double shareAt(double t) {
            if (rampSeconds <= 0 || t >= rampSeconds) {
                return 1;
            }
            return startShare + (1 - startShare) * Math.max(0, t) / rampSeconds;
        }

        @Override
        public double settledAfterSeconds() {
            return Math.max(0, rampSeconds);
        }

        @Override
        public String describe() {
            if (rampSeconds <= 0 || startShare >= 1) {
                return "step to 100%";
            }
            return String.format(
                    Locale.ROOT, "%.0f%% → 100%% over %s", startShare * 100, Scenario.duration(rampSeconds));
        }
    }

    /**
     * From {@code startShare} towards all of it exponentially, as caches refill: the missing share
     * shrinks by a factor e every {@code timeConstantSeconds} (63% of it back after one time
     * constant, 95% after three).
     */
    public record WarmUp(double startShare, double timeConstantSeconds) implements Shape {
        @Override
        public double shareAt(double t) {
            return 1 - (1 - startShare) * Math.exp(-Math.max(0, t) / timeConstantSeconds);
        }

        @Override
        public double settledAfterSeconds() {
            return startShare >= 1 ? 0 : timeConstantSeconds * Math.log((1 - startShare) / 1e-6);
        }

        @Override
        public String describe() {
            return String.format(
                    Locale.ROOT,
                    "%.0f%% → 100%% warming up (τ %s)",
                    startShare * 100,
                    Scenario.duration(timeConstantSeconds));
        }
    }

    /** One point of a capacity schedule: the share of the healthy capacity at {@code atSeconds}. */
    public record Point(double atSeconds, double share) {}

    /**
     * Capacity as a schedule of points, the first at t = 0: linear between consecutive points (a
     * ramp, or a drop), a step where two points share a time, the last share from the last point
     * on.
     */
    public record Schedule(List<Point> points) implements Shape {
        public Schedule {
            points = List.copyOf(points);
            if (points.isEmpty()) {
                throw new IllegalArgumentException("a schedule has at least one point");
            }
            for (int i = 1; i < points.size(); i++) {
                if (points.get(i).atSeconds() < points.get(i - 1).atSeconds()) {
                    throw new IllegalArgumentException("schedule points must be in time order");
                }
            }
        }

        @Override
        public double shareAt(double t) {
            int last = points.size() - 1;
            if (t >= points.get(last).atSeconds()) {
                return points.get(last).share();
            }
            // The last point at or before t; its successor is later than t.
            int lo = 0;
            int hi = last;
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                if (points.get(mid).atSeconds() <= t) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            Point a = points.get(lo);
            Point b = points.get(lo + 1);
            if (t < a.atSeconds()) {
                return a.share();
            }
            return a.share() + (b.share() - a.share()) * (t - a.atSeconds()) / (b.atSeconds() - a.atSeconds());
        }

        @Override
        public double settledAfterSeconds() {
            return points.get(points.size() - 1).atSeconds();
        }

        @Override
        public String describe() {
            double lowest = points.stream().mapToDouble(Point::share).min().orElse(1);
            return String.format(
                    Locale.ROOT,
                    "schedule of %d points over %s (%.0f%% at first, lowest %.0f%%, %.0f%% from then on)",
                    points.size(),
                    Scenario.duration(settledAfterSeconds()),
                    points.get(0).share() * 100,
                    lowest * 100,
                    points.get(points.size() - 1).share() * 100);
        }
    }

    /** The tier's real capacity at {@code t}, requests/s. */
    public double capacityAt(double t) {
        return healthyPerSecond * actualCapacityFactor * shape.shareAt(t);
    }

    /** The tier's real healthy capacity: the plan's figure times the actual-capacity factor. */
    public double actualHealthyPerSecond() {
        return healthyPerSecond * actualCapacityFactor;
    }

    /** The share of the healthy capacity the tier comes back with. */
    public double startShare() {
        return shape.shareAt(0);
    }

    /**
     * The fluid lower bound for one aggregate backlog that may be replayed as fast as capacity
     * allows: see {@link #fluidBoundSeconds(double[], double[], double, double, double)}.
     */
    public double fluidBoundSeconds(double backlog, double demandPerSecond, double dtSeconds, double horizonSeconds) {
        return fluidBoundSeconds(
                new double[] {backlog},
                new double[] {Double.POSITIVE_INFINITY},
                demandPerSecond,
                dtSeconds,
                horizonSeconds);
    }

    /**
     * The fluid lower bound on restoration time: the first T at which the capacity the steady
     * demand leaves spare, max(0, C(t) − D), has replayed every backlog, each at most at its own
     * replay rate. While the tier is back above the demand, the spare capacity of each moment goes
     * to the backlogs with the longest remaining replay time (backlog ÷ replay rate) first — which
     * drains them all as early as any schedule can; while it is still below, demand that arrives
     * cannot be served at all (interactive requests fail; they are not owed later), so no spare
     * capacity accrues. Without replay limits this is min{T : ∫₀ᵀ C(t) dt ≥ B + D·T}. Once the
     * capacity has settled, the rest is exact: max(Σ left ÷ spare, max left ÷ replay rate).
     * Infinite if the demand never leaves any capacity spare, or it would take longer than {@code
     * horizonSeconds}.
     *
     * @param backlogs per service, what must be replayed
     * @param replayPerSecond per service, the fastest its clients replay it
     */
    public double fluidBoundSeconds(
            double[] backlogs,
            double[] replayPerSecond,
            double demandPerSecond,
            double dtSeconds,
            double horizonSeconds) {
        int n = backlogs.length;
        double[] left = backlogs.clone();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Comparator<Integer> longestFirst =
                Comparator.comparingDouble((Integer i) -> -replaySeconds(left[i], replayPerSecond[i]));
        double settled = shape.settledAfterSeconds();
        for (long step = 0; step * dtSeconds <= horizonSeconds; step++) {
            double t = step * dtSeconds;
            double capacity = capacityAt(t);
            double total = 0;
            for (double l : left) {
                total += l;
            }
            if (capacity >= demandPerSecond && total <= 1e-9) {
                return t;
            }
            double spare = Math.max(0, capacity - demandPerSecond);
            if (t >= settled) {
                if (spare <= 0) {
                    return Double.POSITIVE_INFINITY;
                }
                double rest = total / spare;
                for (int i = 0; i < n; i++) {
                    rest = Math.max(rest, replaySeconds(left[i], replayPerSecond[i]));
                }
                return t + rest <= horizonSeconds ? t + rest : Double.POSITIVE_INFINITY;
            }
            double budget = spare * dtSeconds;
            if (budget <= 0) {
                continue;
            }
            order.sort(longestFirst);
            for (int i : order) {
                if (budget <= 0) {
                    break;
                }
                double give = Math.min(budget, Math.min(left[i], replayPerSecond[i] * dtSeconds));
                left[i] -= give;
                budget -= give;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    private static double replaySeconds(double left, double perSecond) {
        return left <= 1e-12 ? 0 : perSecond <= 0 ? Double.POSITIVE_INFINITY : left / perSecond;
    }

    /** How the capacity comes back, and how far the real capacity differs from the plan's figure. */
    public String describe() {
        String shapeText = shape.describe();
        if (Math.abs(actualCapacityFactor - 1) < 1e-9) {
            return shapeText;
        }
        return String.format(
                Locale.ROOT, "%s, real capacity %.0f%% of the plan's", shapeText, actualCapacityFactor * 100);
    }
}
