package dev.sluice.e2e;

import java.util.List;

/**
 * The tier's real capacity over time, in requests/s, as a piecewise-linear curve through points
 * {@code (atSeconds, ratePerSecond)} measured from the moment the tier is back (t = 0). Before the
 * first point and after the last the end values hold. Zero means down. A step is two points at
 * the same time; flapping is a dip in the points.
 */
record CapacitySchedule(List<Point> points) {

    record Point(double atSeconds, double ratePerSecond) {}

    CapacitySchedule {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a schedule needs at least one point");
        }
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i).atSeconds() < points.get(i - 1).atSeconds()) {
                throw new IllegalArgumentException("schedule points must be in time order");
            }
        }
        points = List.copyOf(points);
    }

    /** Back whole at t = 0. */
    static CapacitySchedule step(double ratePerSecond) {
        return new CapacitySchedule(List.of(new Point(0, ratePerSecond)));
    }

    /** Back at {@code startShare} of {@code ratePerSecond} at t = 0, rising linearly to all of it over {@code rampSeconds}. */
    static CapacitySchedule ramp(double ratePerSecond, double startShare, double rampSeconds) {
        return new CapacitySchedule(
                List.of(new Point(0, ratePerSecond * startShare), new Point(rampSeconds, ratePerSecond)));
    }

    double ratePerSecondAt(double tSeconds) {
        Point first = points.get(0);
        if (tSeconds <= first.atSeconds()) {
            return first.ratePerSecond();
        }
        for (int i = 1; i < points.size(); i++) {
            Point a = points.get(i - 1);
            Point b = points.get(i);
            if (tSeconds < b.atSeconds()) {
                double span = b.atSeconds() - a.atSeconds();
                return span <= 0
                        ? b.ratePerSecond()
                        : a.ratePerSecond() + (b.ratePerSecond() - a.ratePerSecond()) * (tSeconds - a.atSeconds()) / span;
            }
        }
        return points.get(points.size() - 1).ratePerSecond();
    }
}
