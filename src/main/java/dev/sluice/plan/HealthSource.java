package dev.sluice.plan;

/**
 * One place health is read from. Which fields apply depends on {@link #kind()}:
 * {@code http} uses url, expectStatus, latencyThresholdMillis and timeoutMillis;
 * {@code prometheus} uses url (the Prometheus base URL), query, signal and timeoutMillis;
 * {@code push} uses none of them (samples arrive through the API) but staleAfterSeconds.
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
        Long staleAfterSeconds) {}
