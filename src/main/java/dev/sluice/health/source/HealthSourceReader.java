package dev.sluice.health.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.domain.Json;
import dev.sluice.health.HealthSample;
import dev.sluice.health.JsonValue;
import dev.sluice.health.PrometheusResult;
import dev.sluice.health.Scrape;
import dev.sluice.health.store.HealthReports;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.HealthSource;
import dev.sluice.plan.HealthSourceKind;
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
import java.net.http.HttpTimeoutException;
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

    /** The counts of each scrape source's previous scrape. */
    private final ConcurrentMap<String, Scrape.Counts> scrapes = new ConcurrentHashMap<>();

    /** The most of a Prometheus or json answer read. */
    static final int MAX_ANSWER_BYTES = 1024 * 1024;

    /** The most of an exposition read: a big service's {@code /metrics} is a few hundred KiB. */
    static final int MAX_EXPOSITION_BYTES = 8 * 1024 * 1024;

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
                case JSON -> guard(planName, key, h).call(() -> json(key, h, now), HealthSample.class);
                case SCRAPE -> guard(planName, key, h).call(() -> scrape(planName, key, h, now), HealthSample.class);
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
        HttpResponse<Void> response = http.send(request, BoundedBody.statusOnly());
        double latencyMillis = (System.nanoTime() - start) / 1e6;
        int status = response.statusCode();
        if (status / 100 == 3 && status != h.expectStatus()) {
            // A redirect is not the target's health but a pointer elsewhere; following it could loop
            // or leave the host the plan names. The probe did not reach what it should read.
            return HealthSample.unreadable(key, now, "redirected (" + status + "); redirects are not followed");
        }
        boolean statusOk = status == h.expectStatus();
        boolean fastEnough = h.latencyThresholdMillis() == null || latencyMillis <= h.latencyThresholdMillis();
        return new HealthSample(key, now, true, statusOk && fastEnough ? 0.0 : 1.0, latencyMillis, null);
    }

    private HealthSample query(String key, HealthSource h, Instant now) throws IOException, InterruptedException {
        String base = h.url().endsWith("/") ? h.url().substring(0, h.url().length() - 1) : h.url();
        URI uri = URI.create(base + "/api/v1/query?query=" + URLEncoder.encode(h.query(), StandardCharsets.UTF_8));
        String body = fetch(uri, h, "application/json", MAX_ANSWER_BYTES, "Prometheus");
        JsonNode answer;
        try {
            answer = Json.parse(body);
        } catch (JsonProcessingException e) {
            return HealthSample.unreadable(key, now, "Prometheus answer is not JSON");
        }
        Double value = PrometheusResult.value(answer);
        if (value == null) {
            return HealthSample.unreadable(key, now, "query returned no value");
        }
        return HealthSample.of(key, now, h.signal(), value);
    }

    private HealthSample json(String key, HealthSource h, Instant now) throws IOException, InterruptedException {
        String body = fetch(URI.create(h.url()), h, "application/json", MAX_ANSWER_BYTES, "target");
        return JsonValue.sample(key, now, h.signal(), body, h.pointer());
    }

    /**
     * A scrape: the counts it leaves are kept per source (and its url and selectors, so a changed
     * plan starts afresh) for the next scrape's increase.
     */
    private HealthSample scrape(String planName, String key, HealthSource h, Instant now)
            throws IOException, InterruptedException {
        String body = fetch(
                URI.create(h.url()), h, "text/plain;version=0.0.4;q=0.9, */*;q=0.1", MAX_EXPOSITION_BYTES, "target");
        String id = planName + "|" + key + "|" + h.url() + "|" + h.measure() + "|" + h.metric() + "|" + h.totalMetric();
        Scrape.Outcome outcome = Scrape.measure(key, h, body, scrapes.get(id), now);
        if (outcome.counts() == null) {
            scrapes.remove(id);
        } else {
            scrapes.put(id, outcome.counts());
        }
        return outcome.sample();
    }

    /**
     * One GET within the source's timeout — headers and body together — and at most {@code
     * maxBytes} of body; any status but 200 is a failure.
     */
    private String fetch(URI uri, HealthSource h, String accept, int maxBytes, String who)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMillis(h.timeoutMillis()))
                .header("Accept", accept)
                .GET()
                .build();
        CompletableFuture<HttpResponse<String>> exchange = http.sendAsync(request, BoundedBody.ofString(maxBytes));
        HttpResponse<String> response;
        try {
            response = exchange.get(h.timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            exchange.cancel(true);
            throw new HttpTimeoutException("no complete answer within " + h.timeoutMillis() + " ms");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof IOException && cause.getCause() instanceof BoundedBody.TooLarge tooLarge) {
                cause = tooLarge;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause);
        }
        if (response.statusCode() != 200) {
            throw new IOException(who + " answered " + response.statusCode());
        }
        return response.body();
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
            case "TooLarge" -> e.getMessage();
            case "ConnectException" -> "connection refused";
            default -> type + (e.getMessage() == null ? "" : ": " + e.getMessage());
        };
    }
}
