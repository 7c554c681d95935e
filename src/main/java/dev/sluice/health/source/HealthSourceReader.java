package dev.sluice.health.source;

import dev.sluice.domain.Json;
import dev.sluice.health.HealthSample;
import dev.sluice.health.PrometheusResult;
import dev.sluice.health.store.HealthReports;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.HealthSource;
import dev.sluice.plan.HealthSourceKind;
import dev.sluice.plan.Signal;
import dev.sluice.runtime.BackgroundWork;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Reads every health source of a plan, in parallel. Each outbound call runs behind its own
 * fault-tolerance guard — a timeout, a circuit breaker and a bulkhead per source — so a hanging or
 * dead target cannot stall the loop or crash it. Whatever goes wrong yields an unreadable sample,
 * which gates treat as unknown. Reads run on the worker pool ({@link BackgroundWork}); the guards
 * bound how many run at once per source. Thread-safe.
 */
@ApplicationScoped
public class HealthSourceReader {
    private static final Logger LOG = Logger.getLogger(HealthSourceReader.class);
    private static final Duration GUARD_MARGIN = Duration.ofMillis(500);

    @Inject
    Clock clock;

    @Inject
    HealthReports reports;

    @Inject
    MeterRegistry metrics;

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    @Inject
    BackgroundWork work;

    private final ConcurrentMap<String, Guard> guards = new ConcurrentHashMap<>();

    /** One sample of every source of the plan (tier and services), all taken at {@code now}. */
    public List<HealthSample> read(String planName, CompiledPlan plan, Instant now) {
        List<CompletableFuture<HealthSample>> reads = new ArrayList<>();
        long longestMillis = 0;
        for (HealthSource h : plan.tier().health()) {
            reads.add(submit(planName, null, h, now));
            longestMillis = Math.max(longestMillis, timeoutMillis(h));
        }
        for (CompiledPlan.Service s : plan.services()) {
            for (HealthSource h : s.health()) {
                reads.add(submit(planName, s.name(), h, now));
                longestMillis = Math.max(longestMillis, timeoutMillis(h));
            }
        }
        List<HealthSample> samples = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(longestMillis + 2 * GUARD_MARGIN.toMillis());
        for (CompletableFuture<HealthSample> read : reads) {
            try {
                samples.add(read.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (Exception e) {
                read.cancel(true);
            }
        }
        return samples;
    }

    private CompletableFuture<HealthSample> submit(String planName, String service, HealthSource h, Instant now) {
        String key = HealthSample.key(service, h.name());
        return CompletableFuture.supplyAsync(() -> readOne(planName, key, h, now), work.workers())
                .completeOnTimeout(
                        HealthSample.unreadable(key, now, "no answer in time"),
                        timeoutMillis(h) + 2 * GUARD_MARGIN.toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    HealthSample readOne(String planName, String key, HealthSource h, Instant now) {
        try {
            HealthSample sample = switch (h.kind()) {
                case PUSH -> reports.sample(planName, key, Duration.ofSeconds(h.staleAfterSeconds()), now);
                case HTTP -> guard(planName, key, h).call(() -> probe(key, h, now), HealthSample.class);
                case PROMETHEUS -> guard(planName, key, h).call(() -> query(key, h, now), HealthSample.class);
            };
            if (!sample.readable()) {
                count(h, "unreadable");
            }
            return sample;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthSample.unreadable(key, now, "interrupted");
        } catch (Exception e) {
            count(h, "failed");
            LOG.debugf("health source %s of plan %s failed: %s", key, planName, e.toString());
            return HealthSample.unreadable(key, now, describe(e));
        }
    }

    private HealthSample probe(String key, HealthSource h, Instant now) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(h.url()))
                .timeout(Duration.ofMillis(h.timeoutMillis()))
                .GET()
                .build();
        long start = System.nanoTime();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        double latencyMillis = (System.nanoTime() - start) / 1e6;
        boolean statusOk = response.statusCode() == h.expectStatus();
        boolean fastEnough = h.latencyThresholdMillis() == null || latencyMillis <= h.latencyThresholdMillis();
        return new HealthSample(key, now, true, statusOk && fastEnough ? 0.0 : 1.0, latencyMillis, null);
    }

    private HealthSample query(String key, HealthSource h, Instant now) throws IOException, InterruptedException {
        String base = h.url().endsWith("/") ? h.url().substring(0, h.url().length() - 1) : h.url();
        URI uri = URI.create(base + "/api/v1/query?query=" + URLEncoder.encode(h.query(), StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMillis(h.timeoutMillis()))
                .GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("Prometheus answered " + response.statusCode());
        }
        Double value = PrometheusResult.value(Json.parse(response.body()));
        if (value == null) {
            return HealthSample.unreadable(key, now, "query returned no value");
        }
        return h.signal() == Signal.ERROR_RATIO
                ? new HealthSample(key, now, true, value, null, null)
                : new HealthSample(key, now, true, null, value, null);
    }

    private Guard guard(String planName, String key, HealthSource h) {
        String id = planName + "|" + key + "|" + h.url() + "|" + h.timeoutMillis();
        return guards.computeIfAbsent(
                id,
                k -> Guard.create()
                        .withDescription("health " + k)
                        .withTimeout()
                        .duration(h.timeoutMillis() + GUARD_MARGIN.toMillis(), ChronoUnit.MILLIS)
                        .done()
                        .withCircuitBreaker()
                        .requestVolumeThreshold(4)
                        .failureRatio(0.75)
                        .delay(10, ChronoUnit.SECONDS)
                        .successThreshold(1)
                        .done()
                        .withBulkhead()
                        .limit(2)
                        .queueSize(1)
                        .done()
                        .build());
    }

    private void count(HealthSource h, String outcome) {
        metrics.counter("sluice.health.read.failures", "kind", h.kind().wireName(), "outcome", outcome)
                .increment();
    }

    private static long timeoutMillis(HealthSource h) {
        return h.kind() == HealthSourceKind.PUSH ? 1000 : h.timeoutMillis();
    }

    private static String describe(Exception e) {
        String type = e.getClass().getSimpleName();
        return switch (type) {
            case "CircuitBreakerOpenException" -> "circuit open after repeated failures";
            case "BulkheadException" -> "too many reads in flight";
            case "TimeoutException", "HttpTimeoutException", "HttpConnectTimeoutException" -> "timed out";
            case "ConnectException" -> "connection refused";
            default -> type + (e.getMessage() == null ? "" : ": " + e.getMessage());
        };
    }
}
