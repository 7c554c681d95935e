package dev.sluice.plan;

/**
 * One place health is read from. Which fields apply depends on {@link #kind()}:
 * {@code http} uses url, expectStatus, latencyThresholdMillis and timeoutMillis;
 * {@code prometheus} uses url (the Prometheus base URL), query, signal and timeoutMillis;
 * {@code json} uses url, pointer (RFC 6901, to a number in the answer), signal and timeoutMillis;
 * {@code scrape} uses url (a Prometheus text exposition), metric, measure, totalMetric (for
 * {@code ratio}), signal and timeoutMillis; {@code push} uses none of them (samples arrive through
 * the API) but staleAfterSeconds.
 *
 * @param metric for {@code scrape}: a series selector, {@code name} or {@code name{label="v", ...}}
 *     with PromQL's matchers ({@code =}, {@code !=}, {@code =~}, {@code !~}); the matching series
 *     are summed
 * @param totalMetric for {@code scrape} with measure {@code ratio}: the selector of the denominator
 */
public record HealthSource(
        String name,
        HealthSourceKind kind,
        String url,
        Integer expectStatus,
        Long latencyThresholdMillis,
        Long timeoutMillis,
        String query,
        Signal signal,
        Long staleAfterSeconds,
        String pointer,
        String metric,
        ScrapeMeasure measure,
        String totalMetric) {

    /** A source of the kinds that have no pointer, metric, measure or totalMetric. */
    public HealthSource(
            String name,
            HealthSourceKind kind,
            String url,
            Integer expectStatus,
            Long latencyThresholdMillis,
            Long timeoutMillis,
            String query,
            Signal signal,
            Long staleAfterSeconds) {
        this(
                name,
                kind,
                url,
                expectStatus,
                latencyThresholdMillis,
                timeoutMillis,
                query,
                signal,
                staleAfterSeconds,
                null,
                null,
                null,
                null);
    }

    /** Whether the source's samples carry a value of its own {@link #signal()}. */
    public boolean hasSignal() {
        return kind == HealthSourceKind.PROMETHEUS || kind == HealthSourceKind.JSON || kind == HealthSourceKind.SCRAPE;
    }

    /** The same source read from another URL. */
    public HealthSource withUrl(String url) {
        return new HealthSource(
                name,
                kind,
                url,
                expectStatus,
                latencyThresholdMillis,
                timeoutMillis,
                query,
                signal,
                staleAfterSeconds,
                pointer,
                metric,
                measure,
                totalMetric);
    }

    /** A copy with defaults filled in by {@link PlanDefaults}. */
    HealthSource with(Integer expectStatus, Long timeoutMillis, Long staleAfterSeconds, ScrapeMeasure measure) {
        return new HealthSource(
                name,
                kind,
                url,
                expectStatus,
                latencyThresholdMillis,
                timeoutMillis,
                query,
                signal,
                staleAfterSeconds,
                pointer,
                metric,
                measure,
                totalMetric);
    }
}
