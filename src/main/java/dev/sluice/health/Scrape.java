package dev.sluice.health;

import dev.sluice.plan.HealthSource;
import dev.sluice.plan.ScrapeMeasure;
import dev.sluice.plan.SeriesSelector;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns one scrape of a {@code scrape} source into a sample. Pure: the counts of the previous scrape
 * come in, the counts to keep for the next one go out.
 *
 * <ul>
 *   <li>{@code gauge}: the sum of the selected series now;</li>
 *   <li>{@code rate}: the sum's increase since the previous scrape, per second;</li>
 *   <li>{@code ratio}: the sum's increase divided by the increase of the {@code totalMetric} sum.</li>
 * </ul>
 *
 * A selector that matches no series is unreadable — except for a counter whose metric the exposition
 * does mention (a {@code # TYPE} line, or series with other labels): exporters often emit an error
 * series only after the first error, so it counts 0 then. The first scrape of a counter, or one
 * after the counts went down (a restart of the exporter), starts a new baseline: unreadable for the
 * first, readable without a value after a reset. An interval with no increase of the total (no
 * requests) is readable without a value too: the window's other samples decide.
 */
public final class Scrape {
    private Scrape() {}

    /** The summed counts of one scrape, what the next scrape's increase is measured from. */
    public record Counts(Instant at, double metric, double total) {}

    /** A scrape's sample, and the counts to measure the next one from (null: none to keep). */
    public record Outcome(HealthSample sample, Counts counts) {}

    public static Outcome measure(String key, HealthSource h, String body, Counts previous, Instant now) {
        SeriesSelector metric = SeriesSelector.parse(h.metric());
        boolean ratio = h.measure() == ScrapeMeasure.RATIO;
        SeriesSelector total = ratio ? SeriesSelector.parse(h.totalMetric()) : null;
        Exposition.Parsed parsed = Exposition.parse(
                body, total == null ? Set.of(metric.name()) : new HashSet<>(List.of(metric.name(), total.name())));
        if (parsed.problem() != null) {
            return new Outcome(
                    HealthSample.unreadable(key, now, "exposition unreadable: " + parsed.problem()), previous);
        }
        Sum m = sum(parsed, metric, h.metric(), h.measure() != ScrapeMeasure.GAUGE);
        if (m.problem != null) {
            return new Outcome(HealthSample.unreadable(key, now, m.problem), previous);
        }
        if (h.measure() == ScrapeMeasure.GAUGE) {
            return new Outcome(HealthSample.of(key, now, h.signal(), m.value), null);
        }
        Sum t = ratio ? sum(parsed, total, h.totalMetric(), false) : new Sum(0, null);
        if (t.problem != null) {
            return new Outcome(HealthSample.unreadable(key, now, t.problem), previous);
        }
        Counts counts = new Counts(now, m.value, t.value);
        if (previous == null) {
            return new Outcome(
                    HealthSample.unreadable(key, now, "first scrape: an increase needs the next one too"), counts);
        }
        double seconds = Duration.between(previous.at(), now).toNanos() / 1e9;
        if (seconds <= 0) {
            return new Outcome(HealthSample.empty(key, now), previous);
        }
        double increase = m.value - previous.metric();
        double totalIncrease = t.value - previous.total();
        if (increase < 0 || totalIncrease < 0) {
            return new Outcome(HealthSample.empty(key, now), counts); // a counter reset: a new baseline
        }
        if (!ratio) {
            return new Outcome(HealthSample.of(key, now, h.signal(), increase / seconds), counts);
        }
        if (totalIncrease == 0) {
            if (increase > 0) {
                return new Outcome(
                        HealthSample.unreadable(
                                key,
                                now,
                                String.format(
                                        Locale.ROOT,
                                        "%s grew by %s while %s did not",
                                        h.metric(),
                                        increase,
                                        h.totalMetric())),
                        counts);
            }
            return new Outcome(HealthSample.empty(key, now), counts);
        }
        return new Outcome(HealthSample.of(key, now, h.signal(), increase / totalIncrease), counts);
    }

    private record Sum(double value, String problem) {}

    private static Sum sum(Exposition.Parsed parsed, SeriesSelector selector, String text, boolean counter) {
        List<Exposition.Series> selected = parsed.series().stream()
                .filter(s -> s.name().equals(selector.name()) && selector.matches(s.labels()))
                .toList();
        if (selected.isEmpty()) {
            if (!parsed.present().contains(selector.name())) {
                return new Sum(0, "no metric " + selector.name() + " in the exposition");
            }
            if (!counter) {
                return new Sum(0, "no series matches " + text);
            }
            return new Sum(0, null);
        }
        double sum = 0;
        for (Exposition.Series s : selected) {
            if (!Double.isFinite(s.value())) {
                return new Sum(0, s.name() + s.labels() + " is " + (Double.isNaN(s.value()) ? "NaN" : s.value()));
            }
            sum += s.value();
        }
        return new Sum(sum, null);
    }
}
