package dev.sluice.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.plan.HealthSource;
import dev.sluice.plan.HealthSourceKind;
import dev.sluice.plan.ScrapeMeasure;
import dev.sluice.plan.Signal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScrapeTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String KEY = "tier/s";

    @Test
    void aGaugeIsTheSumOfTheSelectedSeries() {
        HealthSource h = source(ScrapeMeasure.GAUGE, "queue_depth{queue=~\"ingest|replay\"}", null, Signal.METRIC);
        Scrape.Outcome o = Scrape.measure(KEY, h, """
                # TYPE queue_depth gauge
                queue_depth{queue="ingest"} 120
                queue_depth{queue="replay"} 30
                queue_depth{queue="dead"} 9000
                """, null, T0);
        assertThat(o.sample().value()).isEqualTo(150.0);
        assertThat(o.counts()).isNull();
    }

    @Test
    void aGaugeWithoutAMatchingSeriesIsUnreadable() {
        HealthSource h = source(ScrapeMeasure.GAUGE, "queue_depth{queue=\"ingest\"}", null, Signal.METRIC);
        assertThat(Scrape.measure(KEY, h, "queue_depth{queue=\"replay\"} 3\n", null, T0)
                        .sample()
                        .problem())
                .isEqualTo("no series matches queue_depth{queue=\"ingest\"}");
        assertThat(Scrape.measure(KEY, h, "other 3\n", null, T0).sample().problem())
                .isEqualTo("no metric queue_depth in the exposition");
    }

    @Test
    void aNanOrInfiniteSeriesIsUnreadable() {
        HealthSource h = source(ScrapeMeasure.GAUGE, "lag_seconds", null, Signal.METRIC);
        assertThat(Scrape.measure(KEY, h, "lag_seconds NaN\n", null, T0)
                        .sample()
                        .problem())
                .isEqualTo("lag_seconds{} is NaN");
        assertThat(Scrape.measure(KEY, h, "lag_seconds +Inf\n", null, T0)
                        .sample()
                        .problem())
                .isEqualTo("lag_seconds{} is Infinity");
    }

    @Test
    void aRateIsTheIncreasePerSecondSinceThePreviousScrape() {
        HealthSource h = source(ScrapeMeasure.RATE, "kv_cache_cold_reads_total", null, Signal.METRIC);
        Scrape.Outcome first = Scrape.measure(KEY, h, "kv_cache_cold_reads_total 1000\n", null, T0);
        assertThat(first.sample().readable()).isFalse();
        assertThat(first.sample().problem()).startsWith("first scrape");
        Scrape.Outcome second =
                Scrape.measure(KEY, h, "kv_cache_cold_reads_total 1600\n", first.counts(), T0.plusSeconds(2));
        assertThat(second.sample().value()).isEqualTo(300.0);
        assertThat(second.counts().metric()).isEqualTo(1600.0);
    }

    @Test
    void aCounterResetStartsANewBaselineWithoutAValue() {
        HealthSource h = source(ScrapeMeasure.RATE, "reads_total", null, Signal.METRIC);
        Scrape.Counts before = new Scrape.Counts(T0, 5000, 0);
        Scrape.Outcome reset = Scrape.measure(KEY, h, "reads_total 40\n", before, T0.plusSeconds(1));
        assertThat(reset.sample().readable()).isTrue();
        assertThat(reset.sample().value()).isNull();
        assertThat(reset.counts().metric()).isEqualTo(40.0);
        Scrape.Outcome after = Scrape.measure(KEY, h, "reads_total 100\n", reset.counts(), T0.plusSeconds(2));
        assertThat(after.sample().value()).isEqualTo(60.0);
    }

    @Test
    void noTimeBetweenScrapesKeepsTheBaseline() {
        HealthSource h = source(ScrapeMeasure.RATE, "reads_total", null, Signal.METRIC);
        Scrape.Counts before = new Scrape.Counts(T0, 10, 0);
        Scrape.Outcome same = Scrape.measure(KEY, h, "reads_total 20\n", before, T0);
        assertThat(same.sample().readable()).isTrue();
        assertThat(same.sample().value()).isNull();
        assertThat(same.counts()).isSameAs(before);
    }

    @Test
    void aRatioDividesTheIncreasesOfTwoCountersAsAnErrorRatio() {
        HealthSource h = source(
                ScrapeMeasure.RATIO, "http_requests_total{code=~\"5..\"}", "http_requests_total", Signal.ERROR_RATIO);
        Scrape.Counts before = new Scrape.Counts(T0, 10, 1000);
        Scrape.Outcome o = Scrape.measure(KEY, h, """
                http_requests_total{code="200"} 1970
                http_requests_total{code="500"} 20
                http_requests_total{code="503"} 10
                """, before, T0.plusSeconds(1));
        assertThat(o.sample().errorRatio()).isEqualTo(0.02);
        assertThat(o.sample().value()).isNull();
    }

    @Test
    void anErrorSeriesNotYetExportedCountsZeroWhenItsMetricIsThere() {
        HealthSource h = source(
                ScrapeMeasure.RATIO, "http_requests_total{code=~\"5..\"}", "http_requests_total", Signal.ERROR_RATIO);
        Scrape.Counts before = new Scrape.Counts(T0, 0, 100);
        Scrape.Outcome o = Scrape.measure(KEY, h, "http_requests_total{code=\"200\"} 300\n", before, T0.plusSeconds(1));
        assertThat(o.sample().errorRatio()).isZero();
    }

    @Test
    void aMissingDenominatorOrAMisspeltMetricIsUnreadable() {
        HealthSource h = source(ScrapeMeasure.RATIO, "errors_total", "requests_total", Signal.ERROR_RATIO);
        assertThat(Scrape.measure(KEY, h, "errors_total 1\n", null, T0).sample().problem())
                .isEqualTo("no metric requests_total in the exposition");
        HealthSource typo = source(ScrapeMeasure.RATIO, "erors_total", "requests_total", Signal.ERROR_RATIO);
        assertThat(Scrape.measure(KEY, typo, "errors_total 1\nrequests_total 9\n", null, T0)
                        .sample()
                        .problem())
                .isEqualTo("no metric erors_total in the exposition");
    }

    @Test
    void anIntervalWithoutRequestsHasNoValue() {
        HealthSource h = source(ScrapeMeasure.RATIO, "errors_total", "requests_total", Signal.ERROR_RATIO);
        Scrape.Counts before = new Scrape.Counts(T0, 5, 100);
        Scrape.Outcome idle = Scrape.measure(KEY, h, "errors_total 5\nrequests_total 100\n", before, T0.plusSeconds(1));
        assertThat(idle.sample().readable()).isTrue();
        assertThat(idle.sample().errorRatio()).isNull();
        Scrape.Outcome odd = Scrape.measure(KEY, h, "errors_total 7\nrequests_total 100\n", before, T0.plusSeconds(1));
        assertThat(odd.sample().readable()).isFalse();
        assertThat(odd.sample().problem()).contains("grew by 2.0 while requests_total did not");
    }

    @Test
    void aMalformedExpositionIsUnreadableAndKeepsTheBaseline() {
        HealthSource h = source(ScrapeMeasure.RATE, "reads_total", null, Signal.METRIC);
        Scrape.Counts before = new Scrape.Counts(T0, 10, 0);
        Scrape.Outcome o = Scrape.measure(KEY, h, "reads_total{a=\"1\" 5\n", before, T0.plusSeconds(1));
        assertThat(o.sample().problem()).startsWith("exposition unreadable: line 1:");
        assertThat(o.counts()).isSameAs(before);
    }

    private static HealthSource source(ScrapeMeasure measure, String metric, String total, Signal signal) {
        return new HealthSource(
                "s",
                HealthSourceKind.SCRAPE,
                "http://kv/metrics",
                null,
                null,
                2000L,
                null,
                signal,
                null,
                null,
                metric,
                measure,
                total);
    }
}
